package io.popfleet.nodetool;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Unknown commands, bad values and hostile arguments: refused, never executed. */
class BadInputTest extends SimulatedNodeTest {

    @Test
    void anUnknownCommandExitsTwoWithUsage() {
        PopTool.Result human = pop().run("frobnicate");
        assertThat(human.exitCode()).isEqualTo(2);
        assertThat(human.stderr()).contains("Usage: pop").contains("pop: unknown command: frobnicate");
        PopTool.Result json = pop().run("--json", "--frobnicate");
        NodeJsonSchema.assertValid(json);
        assertThat(json.exitCode()).isEqualTo(2);
        assertThat(json.json().at("/error/code").asText()).isEqualTo("unknown_command");
    }

    @Test
    void aBadWalletIsRefusedAndNothingChanges() throws Exception {
        byte[] before = Files.readAllBytes(node.resolve("etc/pop/node.conf"));
        for (String wallet : List.of("abc", "0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl", "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU7xKX")) {
            PopTool.Result r = pop().run("--json", "set-wallet", wallet);
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_argument");
        }
        assertThat(Files.readAllBytes(node.resolve("etc/pop/node.conf"))).isEqualTo(before);
    }

    @Test
    void badNumbersAreUsageErrors() {
        List<List<String>> cases = List.of(List.of("logs", "--lines", "abc"), List.of("logs", "--lines", "0"),
                List.of("history", "--limit", "-1"), List.of("history", "--since", "yesterday"),
                List.of("configure", "ram=abc"), List.of("configure", "ram=99999"), List.of("configure", "max_disk=0"),
                List.of("restart", "--wait", "x"), List.of("pulse", "--interval", "0"),
                List.of("update", "--file", "/tmp/x", "--sha256", "123"), List.of("dashboard", "--refresh", "1e3"));
        for (List<String> c : cases) {
            List<String> argv = new ArrayList<>(List.of("--json"));
            argv.addAll(c);
            PopTool.Result r = pop().run(argv.toArray(String[]::new));
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).as("%s: %s", c, r).isEqualTo(2);
        }
    }

    @Test
    void aPathTraversalArchiveNameIsRefused() {
        for (String name : List.of("../../etc/passwd", "/etc/shadow", "pop-backup-20260101T000000Z-x/../../y.tar.gz",
                "pop-backup-20260101T000000Z-a.tar.gz/../../../etc/passwd")) {
            PopTool.Result r = pop().run("--json", "restore", name);
            NodeJsonSchema.assertValid(r);
            assertThat(r.exitCode()).as(name).isEqualTo(2);
            assertThat(r.json().at("/error/code").asText()).isEqualTo("invalid_argument");
        }
    }

    @Test
    void anArchiveWithATraversalEntryIsRejectedBeforeExtraction() throws Exception {
        String name = "pop-backup-20260101T000000Z-evil.tar.gz";
        Path dir = node.resolve("var/backups/pop");
        Files.createDirectories(dir);
        Path archive = dir.resolve(name);
        Files.write(archive, tarGz("../../../escaped.txt", "pwned"));
        Files.writeString(dir.resolve(name + ".sha256"), UpdateTest.sha256(archive) + "  " + name + "\n");
        PopTool.Result r = pop().run("--json", "restore", name);
        NodeJsonSchema.assertValid(r);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("bad_archive");
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(temp.resolve("escaped.txt")).doesNotExist();
        assertThat(node.getParent().resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void hostileArgumentsNeverExecute() {
        Path canary = temp.resolve("canary");
        List<String> payloads = List.of("$(touch " + canary + ")", "`touch " + canary + "`", "; touch " + canary,
                "x\ntouch " + canary, "'\"$(touch " + canary + ")\"'", "&& touch " + canary, "| touch " + canary);
        for (String p : payloads) {
            List<List<String>> calls = List.of(List.of("set-wallet", p), List.of("configure", "node_name=" + p),
                    List.of("configure", "cache_dir=" + p), List.of("signup-by-referral-route", p),
                    List.of("restore", p), List.of("logs", "--since", p), List.of("history", "--since", p),
                    List.of("help", p), List.of(p), List.of("update", "--file", p, "--sha256", p),
                    List.of("update", "--url", p, "--sha256", "a".repeat(64)), List.of("dashboard", "--export", p),
                    List.of("auth", "add-key", p), List.of("auth", "remove-key", p),
                    List.of("check-update", "--manifest", p), List.of("backup", "--passphrase-file", p));
            for (List<String> c : calls) {
                List<String> argv = new ArrayList<>(List.of("--json"));
                argv.addAll(c);
                PopTool.Result r = pop().run(argv.toArray(String[]::new));
                NodeJsonSchema.assertValid(r);
                assertThat(r.exitCode()).as("%s", c).isNotZero();
                assertThat(canary).as("%s executed something", c).doesNotExist();
            }
        }
    }

    @Test
    void noCommandPrintsTheNodeSecret() throws Exception {
        String identity = Files.readString(node.resolve("var/lib/pop/node_info.json"));
        String token = identity.replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
        assertThat(token).startsWith("sk_sim_");
        pop().run("start");
        for (String cmd : List.of("status", "health", "check", "backup", "list-backups", "auth", "wallet-info",
                "configure", "refresh", "points", "logs", "dashboard", "version", "leaderboard")) {
            PopTool.Result human = pop().run(cmd);
            PopTool.Result json = pop().run("--json", cmd);
            assertThat(human.stdout() + human.stderr() + json.stdout() + json.stderr()).as(cmd).doesNotContain(token);
        }
    }

    /** A one-entry tar.gz with an arbitrary (hostile) entry name, built by hand. */
    static byte[] tarGz(String entryName, String content) throws Exception {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        byte[] header = new byte[512];
        put(header, 0, entryName);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", data.length));
        put(header, 136, String.format("%011o", 0));
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        header[156] = '0';
        put(header, 257, "ustar");
        header[263] = '0';
        header[264] = '0';
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        tar.write(header);
        tar.write(data);
        tar.write(new byte[512 - data.length % 512]);
        tar.write(new byte[1024]);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(tar.toByteArray());
        }
        return gz.toByteArray();
    }

    private static void put(byte[] header, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
