package io.popfleet.ssh;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.popfleet.api.FailureKind;
import io.popfleet.testing.OpenSshServer;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine against a real OpenSSH sshd on loopback; skipped where sshd is not installed. */
class OpenSshInteropTest {

    static KeyPair clientKey;
    static OpenSshServer sshd;
    static SshEngine engine;
    static SshTarget target;

    @BeforeAll
    static void startSshd() throws Exception {
        Assumptions.assumeTrue(OpenSshServer.available(), "OpenSSH sshd not installed");
        clientKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        sshd = OpenSshServer.start(InetAddress.getByName("127.0.0.250"), clientKey);
        InMemoryHostKeyStore pins = new InMemoryHostKeyStore();
        pins.pin(sshd.host(), sshd.port(), sshd.hostKey().getPublic());
        engine = SshEngine.start(SshSettings.defaults(), pins, name -> clientKey);
        target = new SshTarget(1, "openssh", sshd.host(), sshd.port(), System.getProperty("user.name"), "k");
    }

    @AfterAll
    static void stopSshd() {
        if (engine != null) {
            engine.close();
        }
        if (sshd != null) {
            sshd.close();
        }
    }

    static ExecResult run(String command, String stdin) throws Exception {
        return engine.exec(target, command, stdin.getBytes(StandardCharsets.UTF_8), engine.settings().limits())
                .get(30, TimeUnit.SECONDS);
    }

    @Test
    void commandRunsWithBothStreamsAndItsExitCode() throws Exception {
        ExecResult result = run("echo out; echo err >&2; exit 3", "");

        assertThat(result.stdout()).isEqualTo("out\n");
        assertThat(result.stderr()).isEqualTo("err\n");
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.failure()).isEqualTo(FailureKind.NONZERO_EXIT);
    }

    @Test
    void stdinReachesTheCommand() throws Exception {
        assertThat(run("wc -c", "eleven byte").stdout().trim()).isEqualTo("11");
    }

    @Test
    void moreConcurrentOperationsThanMaxSessionsShareOneSession() throws Exception {
        List<CompletableFuture<ExecResult>> running = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            running.add(engine.exec(target, "sleep 0.2; echo " + i));
        }
        for (int i = 0; i < running.size(); i++) {
            ExecResult result = running.get(i).get(30, TimeUnit.SECONDS);
            assertThat(result.stdout()).as("%s", result).isEqualTo(i + "\n");
        }
        assertThat(engine.openSessions()).isEqualTo(1);
    }

    @Test
    void hostileArgumentsArriveByteIdenticalThroughTheLoginShell() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String argument : HostileArguments.CARRIED) {
            ExecResult result = run("cd \"$HOME\" && f() { printf '%s:' \"$#\"; printf '%s' \"$1\" | sha256sum; }; f "
                    + ShellQuoting.quote(argument), "");
            String expected = "1:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(argument.getBytes(StandardCharsets.UTF_8))) + "  -\n";
            if (!expected.equals(result.stdout())) {
                wrong.add(argument + " -> " + result.stdout() + result.stderr());
            }
        }

        assertThat(wrong).isEmpty();
        assertThat(Files.exists(sshd.home().resolve("pwned"))).isFalse();
    }

    @Test
    void toolIsShippedOnceAndRunInOneRoundTrip() throws Exception {
        NodeToolBundle tool = NodeToolBundle.of("#!/usr/bin/env bash\necho \"pop $*\"\n".getBytes(StandardCharsets.UTF_8));
        ScriptShipper shipper = new ScriptShipper(engine);

        ScriptShipper.ShippedRun first = shipper.run(target, tool, List.of("status", "--json"),
                engine.settings().limits()).get(30, TimeUnit.SECONDS);
        ScriptShipper.ShippedRun second = shipper.run(target, tool, List.of("status", "--json"),
                engine.settings().limits()).get(30, TimeUnit.SECONDS);

        assertThat(first.uploaded()).isTrue();
        assertThat(second.uploaded()).isFalse();
        assertThat(second.result().stdout()).isEqualTo("pop status --json\n");
        assertThat(sshd.home().resolve(".cache/popfleet/pop-" + tool.sha256())).exists();
    }

    @Test
    void openSshHostKeyOtherThanThePinIsRefused() throws Exception {
        InMemoryHostKeyStore wrongPin = new InMemoryHostKeyStore();
        wrongPin.pin(sshd.host(), sshd.port(), otherKey());
        try (SshEngine strict = SshEngine.start(SshSettings.defaults(), wrongPin, name -> clientKey)) {
            ExecResult result = strict.exec(target, "true").get(30, TimeUnit.SECONDS);

            assertThat(result.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
        }
    }

    @Test
    void keyNotInAuthorizedKeysIsAuthFailed() throws Exception {
        KeyPair stranger = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        InMemoryHostKeyStore pins = new InMemoryHostKeyStore();
        pins.pin(sshd.host(), sshd.port(), sshd.hostKey().getPublic());
        try (SshEngine other = SshEngine.start(SshSettings.defaults(), pins, name -> stranger)) {
            assertThat(other.exec(target, "true").get(30, TimeUnit.SECONDS).failure())
                    .isEqualTo(FailureKind.AUTH_FAILED);
        }
    }

    private static java.security.PublicKey otherKey() throws GeneralSecurityException {
        return KeyUtils.generateKeyPair("ssh-ed25519", 256).getPublic();
    }
}
