package io.popfleet.nodetool;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.InMemoryHostKeyStore;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshSettings;
import io.popfleet.ssh.SshTarget;
import io.popfleet.testing.OpenSshServer;
import io.popfleet.testing.TestFiles;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node tool as a real operator runs it: an ordinary login over real OpenSSH on loopback, on a simulated node
 * that runs the tool's systemd code path ({@code pop-sim init --systemd}), with the sudoers drop-in that
 * {@code pop install} wrote, checked by visudo and put into /etc/sudoers.d; then the same login without the rule.
 * Needs root (to create the users and the sudo rule), sudo, visudo, useradd and sshd; skipped without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NonRootSudoTest {

    static final String OTHER_WALLET = "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin";
    static final String THIRD_WALLET = "4Nd1mBQtrMJVYVfKf2PJy9NZUZdTAsp7D4xWLs4gDB4T";

    static String suffix;
    static String admin;
    static String service;
    static Path node;
    static Path tool;
    static Path adminHome;
    static Path sudoersInstalled;
    static List<String> installedRules;
    static OpenSshServer sshd;
    static SshEngine engine;
    static SshTarget target;
    static KeyPair clientKey;
    static String backupArchive;

    @BeforeAll
    static void setUp() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root to create users and sudo rules");
        for (String t : List.of("/usr/bin/sudo", "/usr/sbin/visudo", "/usr/sbin/useradd", "/usr/sbin/userdel")) {
            Assumptions.assumeTrue(Files.isExecutable(Path.of(t)), t + " not installed");
        }
        Assumptions.assumeTrue(OpenSshServer.available(), "OpenSSH sshd not installed");
        suffix = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 6);
        admin = "popadm" + suffix;
        service = "popsvc" + suffix;
        node = Files.createTempDirectory("popfleet-nonroot");
        Files.setPosixFilePermissions(node, PosixFilePermissions.fromString("rwxr-xr-x"));
        PopTool.initNode(node, 4242, "--systemd");
        tool = PopTool.buildBundle(node.resolve("pop-tool"));
        adminHome = node.resolve("home").resolve(admin);
        must(List.of("useradd", "--no-create-home", "--home-dir", adminHome.toString(), "--shell", "/bin/bash", admin));
        // No password, but not locked ("!"): sshd refuses a locked account even for a key.
        must(List.of("usermod", "-p", "*", admin));
        Files.createDirectories(adminHome.resolve(".popfleet"));
        Files.createDirectories(adminHome.resolve(".ssh"));
        Files.writeString(adminHome.resolve(".popfleet/pop.conf"), "POP_ROOT=" + node + "\n");
        must(List.of("chown", "-R", admin + ":", adminHome.toString()));

        PopTool.Result install = asRoot().run("--json", "install", "--admin-user", admin);
        assertThat(install.exitCode()).as("%s", install).isZero();
        NodeJsonSchema.assertValid(install);
        Path sudoers = node.resolve("etc/sudoers.d/pop");
        assertThat(sudoers).exists();
        assertThat(run(List.of("visudo", "-c", "-f", sudoers.toString())).exitCode()).isZero();
        installedRules = Files.readAllLines(sudoers).stream().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        sudoersInstalled = Path.of("/etc/sudoers.d/popfleet-test-" + suffix);
        must(List.of("install", "-m", "0440", "-o", "root", "-g", "root", sudoers.toString(), sudoersInstalled.toString()));
        assertThat(run(List.of("visudo", "-c")).exitCode()).isZero();

        clientKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        sshd = OpenSshServer.start(InetAddress.getByName("127.0.0.249"), clientKey, admin, Map.of("HOME",
                adminHome.toString(), "PATH", node.resolve("sim/bin") + ":" + PopTool.DEFAULT_PATH));
        InMemoryHostKeyStore pins = new InMemoryHostKeyStore();
        pins.pin(sshd.host(), sshd.port(), sshd.hostKey().getPublic());
        engine = SshEngine.start(SshSettings.defaults(), pins, name -> clientKey);
        target = new SshTarget(1, "nonroot", sshd.host(), sshd.port(), admin, "k");
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        if (sudoersInstalled != null) {
            Files.deleteIfExists(sudoersInstalled);
        }
        if (node != null) {
            PopTool.killNode(node);
        }
        if (admin != null) {
            run(List.of("userdel", admin));
            run(List.of("userdel", service));
        }
        TestFiles.deleteRecursively(node);
    }

    @Test
    @Order(1)
    void installIsIdempotentAndItsDryRunChangesNothing() throws Exception {
        JsonNode again = NodeJsonSchema.assertValid(asRoot().run("--json", "install", "--admin-user", admin)).get("data");
        assertThat(again.get("changed").asInt()).as("%s", again).isZero();
        JsonNode dry = asRoot().run("--json", "install", "--admin-user", admin, "--dry-run").data();
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(dry.get("changed").asInt()).isZero();
        String unit = Files.readString(node.resolve("etc/systemd/system/pop.service"));
        assertThat(unit).contains("User=" + service, "LimitNOFILE=65536", "AmbientCapabilities=CAP_NET_BIND_SERVICE");
        assertThat(node.resolve("etc/systemd/system/popfleet-collect.timer")).exists();
        assertThat(Files.readString(node.resolve("etc/systemd/system/popfleet-collect.service")))
                .contains("User=" + admin, "collect");
        assertThat(installedRules).allSatisfy(rule -> assertThat(rule).startsWith(admin + " ALL=("))
                .noneSatisfy(rule -> assertThat(rule).containsPattern("NOPASSWD: \\S+$"))
                .noneSatisfy(rule -> assertThat(rule).contains(" *"));
    }

    @Test
    @Order(2)
    void everyMutatingCommandWorksAsTheLoginUnderTheRule() throws Exception {
        assertThat(ssh("id -u").stdout().trim()).isNotEqualTo("0");
        ok("start", "--wait", "20");
        JsonNode status = ok("status");
        assertThat(status.at("/service/state").asText()).isEqualTo("running");
        assertThat(status.at("/service/manager").asText()).isEqualTo("systemd");
        ok("stop");
        ok("restart", "--wait", "20");
        ok("configure", "ram=3", "--restart");
        ok("set-wallet", OTHER_WALLET);
        assertThat(Files.readString(node.resolve("etc/systemd/system/pop.service.d/popfleet.conf")))
                .contains("--pubKey " + OTHER_WALLET, "--ram 3");
        assertThat(Files.getOwner(node.resolve("etc/pop/node.conf")).getName()).isEqualTo("root");
        ok("enable-80-443");
        backupArchive = ok("backup").get("archive").asText();
        ok("restore", backupArchive);
        Path newBinary = node.resolve("pop-0.2.9");
        assertThat(PopTool.sim("make-binary", newBinary.toString(), "--version", "0.2.9").exitCode()).isZero();
        JsonNode update = ok("update", "--file", newBinary.toString(), "--sha256", sha256(newBinary), "--timeout", "20");
        assertThat(update.get("installed_version").asText()).isEqualTo("0.2.9");
        ok("refresh");
        ok("collect");
        ok("auth", "add-key", PublicKeyEntry.toString(KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic()));
        ok("logs", "--lines", "5");
        assertThat(pop("register").json().at("/error/code").asText()).isEqualTo("already_registered");
        assertThat(pop("signup-by-referral-route", "abcdef123456").json().at("/error/code").asText())
                .isEqualTo("already_registered");
        // pop install enabled the unit; stop --disable turns that off through its own one rule
        Path enabled = node.resolve("var/lib/pop-sim/systemd/pop.service.enabled");
        assertThat(enabled).exists();
        JsonNode disabled = ok("stop", "--disable");
        assertThat(disabled.get("state").asText()).isEqualTo("stopped");
        assertThat(disabled.get("enabled").asBoolean(true)).isFalse();
        assertThat(enabled).doesNotExist();
        assertThat(installedRules).filteredOn(rule -> rule.contains(" disable")).singleElement().asString()
                .containsPattern("NOPASSWD: /\\S*/systemctl disable --now pop\\.service$");
    }

    @Test
    @Order(3)
    void withoutTheRuleEveryPrivilegedCommandNamesTheMissingRule() throws Exception {
        Files.delete(sudoersInstalled);
        // A version other than the installed one: updating to the installed one is a no-op that needs no right.
        Path other = node.resolve("pop-0.3.0");
        assertThat(PopTool.sim("make-binary", other.toString(), "--version", "0.3.0").exitCode()).isZero();
        List<List<String>> commands = List.of(List.of("start"), List.of("stop"), List.of("stop", "--disable"),
                List.of("restart"),
                List.of("configure", "ram=2"), List.of("set-wallet", THIRD_WALLET),
                List.of("enable-80-443"), List.of("backup"), List.of("restore", backupArchive),
                List.of("update", "--file", other.toString(), "--sha256", sha256(other)),
                List.of("refresh"), List.of("signup-by-referral-route", "abcdef123456"), List.of("register"),
                List.of("logs"), List.of("collect"));
        List<String> wrong = new ArrayList<>();
        for (List<String> command : commands) {
            PopTool.Result r = pop(command.toArray(String[]::new));
            JsonNode json = r.json();
            String rule = json.at("/data/sudo_rule").asText();
            if (r.exitCode() != 8 || !"permission_denied".equals(json.at("/error/code").asText())
                    || !installedRules.contains(rule) || !json.at("/error/message").asText().contains(rule)) {
                wrong.add(command + " -> " + r);
            }
        }
        assertThat(wrong).isEmpty();
        // The login's own file needs no rule: its authorized_keys.
        ok("auth", "add-key", PublicKeyEntry.toString(KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic()));
    }

    // --- helpers -----------------------------------------------------------------------------------

    private static JsonNode ok(String... args) throws Exception {
        PopTool.Result r = pop(args);
        assertThat(r.exitCode()).as("pop %s\n%s", String.join(" ", args), r).isZero();
        return NodeJsonSchema.assertValid(r).get("data");
    }

    private static PopTool.Result pop(String... args) throws Exception {
        StringBuilder command = new StringBuilder("bash ").append(tool).append(" --json");
        for (String a : args) {
            command.append(" '").append(a.replace("'", "'\\''")).append('\'');
        }
        ExecResult r = ssh(command.toString());
        return new PopTool.Result(r.exitCode() == null ? -1 : r.exitCode(), r.stdout(),
                r.stderr() + (r.exitCode() == null ? "ssh failure: " + r.failure() : ""), false);
    }

    private static ExecResult ssh(String command) throws Exception {
        return engine.exec(target, command, new byte[0], engine.settings().limits()).get(120, TimeUnit.SECONDS);
    }

    private static PopTool asRoot() {
        return PopTool.tree().on(node).env("POP_SERVICE_USER", service)
                .path(node.resolve("sim/bin") + ":/usr/local/sbin:/usr/sbin:/sbin:" + PopTool.DEFAULT_PATH);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static void must(List<String> command) {
        PopTool.Result r = run(command);
        if (r.exitCode() != 0) {
            throw new IllegalStateException(command + " failed: " + r);
        }
    }

    private static PopTool.Result run(List<String> command) {
        return PopTool.exec(command, Map.of("PATH", "/usr/sbin:/usr/bin:/sbin:/bin"), java.time.Duration.ofSeconds(30));
    }

}
