package io.popfleet.runs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.api.FailureKind;
import io.popfleet.metrics.MetricsPoller;
import io.popfleet.ops.NulBytes;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.runs.TargetState.FAILED;
import static io.popfleet.runs.TargetState.OK;
import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.read;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * PostgreSQL stores no U+0000: a node whose output holds a NUL (in its JSON, on stderr, as a raw byte on stdout)
 * must not roll back the write of its target, and the monitor's status poll must keep finishing. Each node runs
 * the real node tool behind a wrapper that adds the NUL, in the node's own tool cache.
 */
@QuarkusTest
class NodeOutputNulTest {

    private static final String CREDENTIAL = "NodeOutputNulTest";
    private static final char SHOWN = NulBytes.SHOWN_AS;

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(4);

    @Inject
    FleetRegistration registration;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    @Inject
    MetricsPoller poller;

    @BeforeEach
    void registerAndWrapTheTool() throws Exception {
        Inventory.clearWithRuns();
        registration.register(FLEET, CREDENTIAL, 0, node -> aNode().named(name(node)));
        // Any read ships the tool to every node's cache; the wrappers then take its place there.
        Run shipped = planner.plan(read("version"), NodeSelection.all(), "test");
        assertThat(RunWaits.finished(runs, shipped.id)).hasCounts(4, 0);
        wrap(FLEET.node(0), "bash \"$real\" \"$@\" | sed 's/\"data\":{/\"data\":{\"note\":\"a\\\\u0000b\",/'");
        wrap(FLEET.node(1), "bash \"$real\" \"$@\"; rc=$?; printf 'warn\\0ing\\n' >&2; exit \"$rc\"");
        wrap(FLEET.node(2), "bash \"$real\" \"$@\"; rc=$?; printf '\\0\\n'; exit \"$rc\"");
    }

    @AfterEach
    void leaveNoNodesBehind() {
        Inventory.clear();
    }

    @Test
    void aNulInJsonStderrOrStdoutIsStoredVisiblyAndTheMonitorsPollKeepsFinishing() {
        for (int poll = 1; poll <= 2; poll++) {
            Run run = poller.pollNow().orElseThrow(() -> new AssertionError("the poll was skipped: the last one"
                    + " is still running"));
            RunView view = RunWaits.finished(runs, run.id, Duration.ofSeconds(60));
            assertThat(view).as(() -> "poll " + " targets: " + runs.targets(run.id, null, 0, 10)).isFinished()
                    .hasCounts(3, 1);

            TargetView json = target(run.id, "nul-0");
            assertThat(json).hasState(OK).hasDataFields("service");
            assertThat(json.data().get("note")).isEqualTo("a" + SHOWN + "b");
            assertThat(json.outputNul()).isTrue();

            TargetView stderr = target(run.id, "nul-1");
            assertThat(stderr).hasState(OK);
            assertThat(stderr.stderr()).contains("warn" + SHOWN + "ing");
            assertThat(stderr.outputNul()).isTrue();

            TargetView stdout = target(run.id, "nul-2");
            assertThat(stdout).hasState(FAILED).hasKind(FailureKind.BAD_OUTPUT);
            assertThat(stdout.stdout()).contains("\"command\":\"status\"").endsWith(SHOWN + "\n");
            assertThat(stdout.outputNul()).isTrue();

            assertThat(target(run.id, "nul-3")).hasState(OK);
            assertThat(target(run.id, "nul-3").outputNul()).isFalse();
        }
    }

    private TargetView target(long runId, String name) {
        return runs.targets(runId, null, 0, 10).stream().filter(t -> t.nodeName().equals(name)).findFirst()
                .orElseThrow();
    }

    private static String name(FleetNode node) {
        return "nul-" + node.index();
    }

    /** Moves the node's cached tool aside and puts a script at its place that runs it through {@code body}. */
    private static void wrap(FleetNode node, String body) throws IOException {
        Path cache = node.home().resolve(".cache/popfleet");
        Path tool;
        try (Stream<Path> files = Files.list(cache)) {
            tool = files.filter(file -> file.getFileName().toString().startsWith("pop-")).findFirst().orElseThrow();
        }
        Path real = cache.resolve("real-pop");
        Files.move(tool, real);
        Files.writeString(tool, String.join("\n", List.of("#!/bin/bash", "real=" + real, body, "")));
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("r-x------"));
    }
}
