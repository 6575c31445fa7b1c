package io.popfleet.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.popfleet.api.FailureKind;
import io.popfleet.ssh.ScriptShipper.ShippedRun;
import io.popfleet.testing.SshTestFleet;

import static org.assertj.core.api.Assertions.assertThat;

class ScriptShipperTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(3);
    /** Never shipped to: the installed-tool tests look at what is (not) on it. */
    static final int INSTALLED_NODE = 2;

    SshEngine engine;
    ScriptShipper shipper;

    @BeforeEach
    void start() {
        engine = SshEngine.start(SshSettings.defaults(), FLEET.pinnedHostKeys(), FLEET.credentials());
        shipper = new ScriptShipper(engine);
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    static NodeToolBundle tool(String version) {
        return NodeToolBundle.of(("#!/usr/bin/env bash\nset -euo pipefail\n"
                + "printf '{\"tool\":\"" + version + "\",\"args\":%d,\"first\":\"%s\"}\\n' \"$#\" \"${1:-}\"\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    ShippedRun run(int node, NodeToolBundle tool, String... args) throws Exception {
        return shipper.run(FLEET.target(node), tool, List.of(args), engine.settings().limits())
                .get(20, TimeUnit.SECONDS);
    }

    @Test
    void firstRunUploadsTheToolByHashAndLaterRunsAreOneRoundTrip() throws Exception {
        NodeToolBundle v1 = tool("v1");

        ShippedRun first = run(0, v1, "status", "--json");
        ShippedRun second = run(0, v1, "health", "--json");

        assertThat(first.uploaded()).isTrue();
        assertThat(first.result().stdout()).isEqualTo("{\"tool\":\"v1\",\"args\":2,\"first\":\"status\"}\n");
        assertThat(second.uploaded()).isFalse();
        assertThat(second.result().stdout()).isEqualTo("{\"tool\":\"v1\",\"args\":2,\"first\":\"health\"}\n");
        Path shipped = FLEET.node(0).home().resolve(".cache/popfleet/pop-" + v1.sha256());
        assertThat(Files.readAllBytes(shipped)).isEqualTo(v1.content());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(shipped))).isEqualTo("r-x------");
    }

    @Test
    void changedToolContentIsShippedUnderItsNewHash() throws Exception {
        run(1, tool("v1"), "status");

        ShippedRun updated = run(1, tool("v2"), "status");

        assertThat(updated.uploaded()).isTrue();
        assertThat(updated.result().stdout()).contains("\"tool\":\"v2\"");
    }

    @Test
    void toolExitingWithTheMissingCodeIsNotReUploadedOrReRun() throws Exception {
        NodeToolBundle exits197 = NodeToolBundle.of("echo ran >> runs.log; exit 197\n".getBytes(StandardCharsets.UTF_8));
        run(0, exits197);

        ShippedRun again = run(0, exits197);

        assertThat(again.uploaded()).isFalse();
        assertThat(again.result().failure()).isEqualTo(FailureKind.NONZERO_EXIT);
        assertThat(Files.readAllLines(FLEET.node(0).home().resolve("runs.log"))).hasSize(2);
    }

    @Test
    void uploadWhoseHashDoesNotMatchNeverRunsAndIsReportedAsAnUploadFailure() throws Exception {
        byte[] content = "echo ran >> runs.log\n".getBytes(StandardCharsets.UTF_8);
        String claimed = NodeToolBundle.of("something else".getBytes(StandardCharsets.UTF_8)).sha256();
        NodeToolBundle altered = new NodeToolBundle(content, claimed);

        ShippedRun shipped = run(1, altered, "status");

        assertThat(shipped.uploaded()).isTrue();
        assertThat(shipped.result().failure()).isEqualTo(FailureKind.BAD_OUTPUT);
        assertThat(shipped.result().message()).contains("hash mismatch");
        assertThat(FLEET.node(1).home().resolve("runs.log")).doesNotExist();
        assertThat(FLEET.node(1).home().resolve(".cache/popfleet/pop-" + claimed)).doesNotExist();
    }

    @Test
    void toolExitingWithTheUploadFailureCodeIsItsOwnFailure() throws Exception {
        NodeToolBundle exits198 = NodeToolBundle.of("echo broken >&2; exit 198\n".getBytes(StandardCharsets.UTF_8));

        ShippedRun shipped = run(0, exits198);

        assertThat(shipped.uploaded()).isTrue();
        assertThat(shipped.result().failure()).isEqualTo(FailureKind.NONZERO_EXIT);
        assertThat(shipped.result().stderr()).isEqualTo("broken\n");
    }

    @Test
    void hostileArgumentsReachTheToolAsOneArgument() throws Exception {
        ShippedRun result = run(1, tool("v1"), "$(touch pwned); x'y");

        assertThat(result.result().stdout()).contains("\"args\":1,\"first\":\"$(touch pwned); x'y\"");
        assertThat(FLEET.node(1).home().resolve("pwned")).doesNotExist();
    }

    @Test
    void anInstalledToolIsCalledWhereItIsWithQuotedArgumentsAndNothingIsUploaded() throws Exception {
        Path installed = FLEET.node(INSTALLED_NODE).home().resolve("opt/pop/bin/pop");
        Files.createDirectories(installed.getParent());
        Files.write(installed, tool("ops").content());
        Files.setPosixFilePermissions(installed, PosixFilePermissions.fromString("rwxr-xr-x"));
        SshTarget target = FLEET.target(INSTALLED_NODE).withTool(NodeTool.installed(installed.toString()));

        ShippedRun result = shipper.run(target, tool("shipped"), List.of("$(touch pwned); x'y", "--json"),
                engine.settings().limits()).get(20, TimeUnit.SECONDS);

        assertThat(result.uploaded()).isFalse();
        assertThat(result.result().stdout()).isEqualTo("{\"tool\":\"ops\",\"args\":2,\"first\":\"$(touch pwned); x'y\"}\n");
        assertThat(FLEET.node(INSTALLED_NODE).home().resolve("pwned")).doesNotExist();
        assertThat(FLEET.node(INSTALLED_NODE).home().resolve(".cache/popfleet")).doesNotExist();
    }

    @Test
    void aMissingInstalledToolIsClassifiedWithItsPathAndANodesShippedChoiceWinsOverTheDefault() throws Exception {
        ScriptShipper installedByDefault = new ScriptShipper(engine, NodeTool.installed("/opt/absent/pop"));

        ShippedRun missing = installedByDefault.run(FLEET.target(INSTALLED_NODE), null, List.of("status"),
                engine.settings().limits()).get(20, TimeUnit.SECONDS);
        ShippedRun notOnPath = installedByDefault.run(FLEET.target(INSTALLED_NODE).withTool(NodeTool.installed(
                "pop-not-installed")), null, List.of("status"), engine.settings().limits()).get(20, TimeUnit.SECONDS);
        ShippedRun shipped = installedByDefault.run(FLEET.target(1).withTool(new NodeTool(NodeTool.Mode.SHIPPED,
                null)), tool("override"), List.of("status"), engine.settings().limits()).get(20, TimeUnit.SECONDS);

        assertThat(missing.uploaded()).isFalse();
        assertThat(missing.result().failure()).isEqualTo(FailureKind.TOOL_MISSING);
        assertThat(missing.result().message()).startsWith("no executable node tool at /opt/absent/pop on this node");
        assertThat(notOnPath.result().failure()).isEqualTo(FailureKind.TOOL_MISSING);
        assertThat(notOnPath.result().message()).startsWith("no 'pop-not-installed' command on the PATH");
        assertThat(FLEET.node(INSTALLED_NODE).home().resolve(".cache/popfleet")).doesNotExist();
        assertThat(shipped.uploaded()).isTrue();
        assertThat(shipped.result().stdout()).contains("\"tool\":\"override\"");
    }
}
