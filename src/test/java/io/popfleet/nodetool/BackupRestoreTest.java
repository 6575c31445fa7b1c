package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Backups hold identity and configuration; restore verifies before it touches anything. */
class BackupRestoreTest extends SimulatedNodeTest {

    private Path identity() {
        return node.resolve("var/lib/pop/node_info.json");
    }

    private String backup(String... extra) {
        String[] argv = new String[extra.length + 2];
        argv[0] = "--json";
        argv[1] = "backup";
        System.arraycopy(extra, 0, argv, 2, extra.length);
        PopTool.Result r = pop().run(argv);
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).as("%s", r).isZero();
        return r.data().get("archive").asText();
    }

    @Test
    void backupThenRestoreBringsBackAByteIdenticalIdentity() throws Exception {
        String before = UpdateTest.sha256(identity());
        String archive = backup();
        PopTool.sim("fault", node.toString(), "identity-corrupt");
        assertThat(UpdateTest.sha256(identity())).isNotEqualTo(before);
        PopTool.Result r = pop().run("--json", "restore", archive);
        JsonNode json = NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(UpdateTest.sha256(identity())).isEqualTo(before);
        assertThat(json.at("/data/safety_backup").asText()).startsWith("pop-backup-");
        assertThat(json.at("/data/steps").toString()).contains("verify-checksum", "verify-manifest", "verify-identity",
                "safety-backup", "restore-files");
    }

    @Test
    void anEncryptedBackupRoundTripsWithAPassphraseFile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        Path pass = temp.resolve("pass");
        Files.writeString(pass, "correct horse battery staple\n");
        String before = UpdateTest.sha256(identity());
        String archive = backup("--encrypt", "--passphrase-file", pass.toString());
        assertThat(archive).endsWith(".tar.gz.enc");
        byte[] raw = Files.readAllBytes(node.resolve("var/backups/pop").resolve(archive));
        assertThat(new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("node_id");
        Files.delete(identity());
        PopTool.Result wrong = pop().env("POP_BACKUP_PASSPHRASE", "wrong").run("--json", "restore", archive);
        assertThat(wrong.json().at("/error/code").asText()).isEqualTo("bad_archive");
        PopTool.Result r = pop().run("--json", "restore", archive, "--passphrase-file", pass.toString());
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(UpdateTest.sha256(identity())).isEqualTo(before);
    }

    @Test
    void aPassphraseIsNeverAcceptedAsAnArgument() {
        PopTool.Result r = pop().run("--json", "backup", "--encrypt", "--passphrase", "hunter2");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stdout() + r.stderr()).doesNotContain("hunter2");
        PopTool.Result none = pop().run("--json", "backup", "--encrypt");
        assertThat(none.exitCode()).isEqualTo(2);
        assertThat(none.json().at("/error/message").asText()).contains("POP_BACKUP_PASSPHRASE");
    }

    @Test
    void backupsArePrivateFiles() throws Exception {
        String archive = backup();
        Path dir = node.resolve("var/backups/pop");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(archive)))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    /** A backup made on another simulated node, copied into this node's backup directory. */
    private String foreignArchive(Path other) throws Exception {
        PopTool.initNode(other, 424242);
        PopTool.Result b = PopTool.tree().on(other).home(home).run("--json", "backup");
        String archive = b.data().get("archive").asText();
        Path dir = node.resolve("var/backups/pop");
        Files.createDirectories(dir);
        Files.copy(other.resolve("var/backups/pop").resolve(archive), dir.resolve(archive));
        Files.copy(other.resolve("var/backups/pop").resolve(archive + ".sha256"), dir.resolve(archive + ".sha256"));
        return archive;
    }

    @Test
    void restoreRefusesAnotherNodesIdentityUnlessMigrated() throws Exception {
        Path other = temp.resolve("other");
        String archive = foreignArchive(other);
        String mine = UpdateTest.sha256(identity());
        PopTool.Result refused = pop().run("--json", "restore", archive);
        NodeJsonSchema.assertValid(refused);
        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("foreign_identity");
        assertThat(UpdateTest.sha256(identity())).isEqualTo(mine);
        assertThat(refused.json().at("/error/message").asText()).contains("--migrate");
        PopTool.Result forced = pop().run("--json", "restore", archive, "--migrate");
        NodeJsonSchema.assertValid(forced);
        assertThat(forced.exitCode()).as("%s", forced).isZero();
        assertThat(forced.data().get("migrated").asBoolean()).isTrue();
        assertThat(UpdateTest.sha256(identity())).isEqualTo(UpdateTest.sha256(other.resolve("var/lib/pop/node_info.json")));
    }

    @Test
    void aTamperedArchiveIsRejectedBeforeTheNodeIsTouched() throws Exception {
        String archive = backup();
        Path file = node.resolve("var/backups/pop").resolve(archive);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(file, bytes);
        PopTool.sim("fault", node.toString(), "identity-corrupt");
        String corrupt = UpdateTest.sha256(identity());
        PopTool.Result r = pop().run("--json", "restore", archive);
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).isEqualTo(5);
        assertThat(r.json().at("/error/code").asText()).isEqualTo("checksum_mismatch");
        assertThat(UpdateTest.sha256(identity())).isEqualTo(corrupt);
        assertThat(pop().run("list-backups").stdout()).contains("CHECKSUM MISMATCH");
    }

    @Test
    void restoreStopsAndStartsARunningService() {
        String archive = backup();
        assertThat(pop().run("start").exitCode()).isZero();
        long pid = pop().run("--json", "status").data().at("/service/pid").asLong();
        PopTool.Result r = pop().run("--json", "restore", archive);
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode service = pop().run("--json", "status").data().get("service");
        assertThat(service.get("state").asText()).isEqualTo("running");
        assertThat(service.get("pid").asLong()).isNotEqualTo(pid);
    }

    @Test
    void listBackupsShowsEachArchiveVerified() {
        backup();
        backup();
        JsonNode data = NodeJsonSchema.assertValid(pop().run("--json", "list-backups")).get("data");
        assertThat(data.get("count").asInt()).isEqualTo(2);
        data.get("backups").forEach(b -> assertThat(b.get("verified").asBoolean()).isTrue());
    }

    @Test
    void restoreOnANodeWhoseIdentityIsMissingRefusesAForeignArchiveEvenWithoutARecord() throws Exception {
        String archive = foreignArchive(temp.resolve("other"));
        Files.delete(identity());
        assertThat(node.resolve("var/lib/popfleet/identity.state")).doesNotExist();
        PopTool.Result refused = pop().run("--json", "restore", archive);
        NodeJsonSchema.assertValid(refused);
        assertThat(refused.exitCode()).as("%s", refused).isEqualTo(5);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("foreign_identity");
        assertThat(refused.json().at("/error/message").asText()).contains("missing", "registered from");
        assertThat(identity()).as("nothing installed").doesNotExist();
        assertThat(pop().run("--json", "list-backups").data().get("count").asInt()).as("not even a safety backup")
                .isEqualTo(1);

        PopTool.Result migrated = pop().run("--json", "restore", archive, "--migrate");
        NodeJsonSchema.assertValid(migrated);
        assertThat(migrated.exitCode()).as("%s", migrated).isZero();
        assertThat(UpdateTest.sha256(identity()))
                .isEqualTo(UpdateTest.sha256(temp.resolve("other/var/lib/pop/node_info.json")));
        assertThat(migrated.data().get("registered_ip").asText()).isNotEqualTo(migrated.data().get("current_ip").asText());
        assertThat(migrated.data().get("steps").toString()).contains("verify-ip", "Pipe ties the identity to");
        assertThat(Files.readString(node.resolve("var/lib/popfleet/identity.state")))
                .contains("NODE_ID=" + migrated.data().get("node_id").asText(),
                        "REGISTERED_IP=" + migrated.data().get("registered_ip").asText());
    }

    @Test
    void restoreOnANodeWhoseIdentityIsMissingComparesWithTheRecordedIdentity() throws Exception {
        String own = backup();
        String archive = foreignArchive(temp.resolve("other"));
        Files.delete(identity());
        PopTool.Result refused = pop().run("--json", "restore", archive);
        assertThat(refused.json().at("/error/code").asText()).as("%s", refused).isEqualTo("foreign_identity");
        assertThat(refused.json().at("/error/message").asText()).contains("last recorded");
        PopTool.Result r = pop().run("--json", "restore", own);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.data().get("migrated").asBoolean()).isFalse();
    }

    @Test
    void aPlainCopyOfNodeInfoJsonCanBeImported() throws Exception {
        Path copy = temp.resolve("node_info.json");
        Files.copy(identity(), copy);
        String before = UpdateTest.sha256(identity());
        PopTool.sim("fault", node.toString(), "identity-corrupt");
        PopTool.Result r = pop().run("--json", "restore", "--identity-file", copy.toString());
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.data().get("archive").isNull()).isTrue();
        assertThat(r.data().get("restored").toString()).contains("identity/node_info.json");
        assertThat(UpdateTest.sha256(identity())).isEqualTo(before);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity()))).isEqualTo("rw-------");

        Path foreign = temp.resolve("other");
        PopTool.initNode(foreign, 31337);
        PopTool.Result refused = pop().run("--json", "restore", "--identity-file",
                foreign.resolve("var/lib/pop/node_info.json").toString());
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("foreign_identity");
        assertThat(UpdateTest.sha256(identity())).isEqualTo(before);
        for (String bad : new String[] {"relative/node_info.json", temp + "/../node_info.json"}) {
            PopTool.Result r2 = pop().run("--json", "restore", "--identity-file", bad);
            assertThat(r2.json().at("/error/code").asText()).as(bad).isEqualTo("invalid_argument");
        }
    }

    @Test
    void restoreRewritesTheUnitDropInSoItsWalletMatchesTheRestoredSettings() throws Exception {
        Path dropIn = node.resolve("etc/systemd/system/pop.service.d/popfleet.conf");
        Files.createDirectories(dropIn.getParent());
        Files.writeString(dropIn, "[Service]\nExecStart=\nExecStart=/opt/pop/pop --pubKey placeholder\n");
        String original = pop().run("--json", "wallet-info").data().get("wallet").asText();
        assertThat(pop().run("set-wallet", "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU").exitCode()).isZero();
        String archive = backup();
        assertThat(pop().run("set-wallet", original).exitCode()).isZero();
        PopTool.Result r = pop().run("--json", "restore", archive);
        assertThat(r.exitCode()).as("%s", r).isZero();
        JsonNode info = pop().run("--json", "wallet-info").data();
        assertThat(info.get("wallet").asText()).isEqualTo("7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU");
        assertThat(info.get("unit_wallet").asText()).isEqualTo("7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU");
        assertThat(info.get("consistent").asBoolean()).isTrue();
    }

    @Test
    void listBackupsOrdersBackupsOfTheSameSecondByTheirSequence() throws Exception {
        String id = pop().run("--json", "status").data().get("node_id").asText();
        Path dir = node.resolve("var/backups/pop");
        Files.createDirectories(dir);
        // Made in this order within one second: the first, then .2 ... .10 (and an older -3 spelling).
        List<String> made = List.of("pop-backup-20260101T000000Z-" + id + ".tar.gz",
                "pop-backup-20260101T000000Z.2-" + id + ".tar.gz", "pop-backup-20260101T000000Z-" + id + "-3.tar.gz",
                "pop-backup-20260101T000000Z.10-" + id + ".tar.gz", "pop-backup-20260101T000001Z-" + id + ".tar.gz");
        for (String name : made) {
            Files.writeString(dir.resolve(name), name);
            Files.writeString(dir.resolve(name + ".sha256"), UpdateTest.sha256(dir.resolve(name)) + "  " + name + "\n");
        }
        JsonNode backups = pop().run("--json", "list-backups").data().get("backups");
        List<String> listed = new ArrayList<>();
        backups.forEach(b -> listed.add(b.get("name").asText()));
        List<String> newestFirst = new ArrayList<>(made);
        Collections.reverse(newestFirst);
        assertThat(listed).containsExactlyElementsOf(newestFirst);

        String a = backup();
        String b = backup();
        List<String> after = new ArrayList<>();
        pop().run("--json", "list-backups").data().get("backups").forEach(x -> after.add(x.get("name").asText()));
        assertThat(after.subList(0, 2)).containsExactly(b, a);
    }

    @Test
    void aBackupTakesTheSequenceAfterTheHighestOfItsSecondNotTheFirstFreeOne() throws Exception {
        // Another identity's archives hold sequence 5 of this second and the next ones (retention removed 1-4):
        // the first free number would sort this backup older than them.
        Path dir = node.resolve("var/backups/pop");
        Files.createDirectories(dir);
        DateTimeFormatter stamp = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        long now = Instant.now().getEpochSecond();
        for (long t = now; t <= now + 30; t++) {
            String name = "pop-backup-" + stamp.format(Instant.ofEpochSecond(t))
                    + ".5-11111111-2222-3333-4444-555555555555.tar.gz";
            Files.writeString(dir.resolve(name), name);
        }
        String made = pop().run("--json", "backup").data().get("archive").asText();
        assertThat(made).matches("pop-backup-\\d{8}T\\d{6}Z\\.6-.+\\.tar\\.gz");
    }

    @Test
    void backupsAreKeptToTheRetentionSettingPerNode() throws Exception {
        String foreign = foreignArchive(temp.resolve("other"));
        List<String> made = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            PopTool.Result r = pop().env("POP_BACKUP_KEEP", "2").run("--json", "backup");
            NodeJsonSchema.assertValid(r);
            made.add(r.data().get("archive").asText());
        }
        List<String> listed = new ArrayList<>();
        pop().run("--json", "list-backups").data().get("backups").forEach(x -> listed.add(x.get("name").asText()));
        assertThat(listed).containsExactlyInAnyOrder(made.get(3), made.get(2), foreign);
        assertThat(node.resolve("var/backups/pop").resolve(made.get(0) + ".sha256")).doesNotExist();
    }

    @Test
    void backupForceIsRefusedAndAPassphraseFileWithDotDotIsRefused() throws Exception {
        PopTool.Result force = pop().run("--json", "backup", "--force");
        NodeJsonSchema.assertValid(force);
        assertThat(force.exitCode()).isEqualTo(2);
        Path pass = temp.resolve("pass");
        Files.writeString(pass, "secret\n");
        for (String f : List.of("../../etc/passwd", temp + "/../" + temp.getFileName() + "/pass")) {
            PopTool.Result r = pop().run("--json", "backup", "--encrypt", "--passphrase-file", f);
            NodeJsonSchema.assertValid(r);
            assertThat(r.json().at("/error/code").asText()).as(f).isEqualTo("invalid_argument");
        }
        assertThat(pop().run("--json", "list-backups").data().get("count").asInt()).isZero();
    }
}
