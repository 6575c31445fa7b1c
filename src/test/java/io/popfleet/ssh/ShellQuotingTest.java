package io.popfleet.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.popfleet.testing.SshTestFleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShellQuotingTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(1);

    static SshEngine engine;

    @BeforeAll
    static void startEngine() {
        engine = SshEngine.start(SshSettings.defaults(), FLEET.pinnedHostKeys(), FLEET.credentials());
    }

    @AfterAll
    static void stopEngine() {
        engine.close();
    }

    @Test
    void corpusHasAtLeastFiftyHostileStrings() {
        assertThat(HostileArguments.CARRIED.size() + HostileArguments.REFUSED.size()).isGreaterThanOrEqualTo(50);
    }

    @Test
    void everyHostileArgumentArrivesByteIdenticalAsOneArgumentAndExecutesNothing() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (String argument : HostileArguments.CARRIED) {
            // a shell function sees the argument as the remote command would: count, then exact bytes
            String command = "f() { printf '%s:' \"$#\"; printf '%s' \"$1\" | sha256sum; }; f "
                    + ShellQuoting.quote(argument);
            ExecResult result = engine.exec(FLEET.target(0), command).get(20, TimeUnit.SECONDS);
            String expected = "1:" + sha256(argument) + "  -\n";
            if (!result.ok() || !result.stdout().equals(expected)) {
                wrong.add(printable(argument) + " -> " + result.stdout() + result.stderr() + result.message());
            }
        }

        assertThat(wrong).isEmpty();
        try (var files = Files.list(FLEET.node(0).home())) {
            assertThat(files.map(path -> path.getFileName().toString()))
                    .as("nothing may have been created by an argument").doesNotContain("pwned");
        }
    }

    @Test
    void argumentsThatCannotArriveIntactAreRefusedBeforeSending() {
        for (String argument : HostileArguments.REFUSED) {
            assertThatThrownBy(() -> ShellQuoting.quote(argument)).as(printable(argument))
                    .isInstanceOf(UnsafeArgumentException.class);
        }
    }

    @Test
    void commandQuotesEveryArgumentButNotTheProgram() {
        assertThat(ShellQuoting.command("pop", List.of("status", "--json", "it's")))
                .isEqualTo("pop 'status' '--json' 'it'\\''s'");
    }

    @Test
    void nullArgumentIsRefused() {
        assertThatThrownBy(() -> ShellQuoting.quote(null)).isInstanceOf(UnsafeArgumentException.class);
    }

    private static String sha256(String argument) throws Exception {
        return HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(argument.getBytes(StandardCharsets.UTF_8)));
    }

    private static String printable(String argument) {
        String shown = argument.length() > 40 ? argument.substring(0, 40) + "..." : argument;
        return shown.codePoints().mapToObj(c -> c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                : new String(Character.toChars(c))).reduce("", String::concat);
    }

}
