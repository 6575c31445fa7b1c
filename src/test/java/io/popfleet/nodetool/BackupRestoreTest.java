package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

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

    @Test
    void restoreRefusesAnotherNodesIdentityUnlessForced() throws Exception {
        Path other = PopTool.initNode(temp.resolve("other"), 424242);
        PopTool.Result b = PopTool.tree().on(other).home(home).run("--json", "backup");
        String archive = b.data().get("archive").asText();
        Path dir = node.resolve("var/backups/pop");
        Files.createDirectories(dir);
        Files.copy(other.resolve("var/backups/pop").resolve(archive), dir.resolve(archive));
        Files.copy(other.resolve("var/backups/pop").resolve(archive + ".sha256"), dir.resolve(archive + ".sha256"));
        String mine = UpdateTest.sha256(identity());
        PopTool.Result refused = pop().run("--json", "restore", archive);
        NodeJsonSchema.assertValid(refused);
        assertThat(refused.exitCode()).isEqualTo(5);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("foreign_identity");
        assertThat(UpdateTest.sha256(identity())).isEqualTo(mine);
        PopTool.Result forced = pop().run("--json", "restore", archive, "--force");
        assertThat(forced.exitCode()).as("%s", forced).isZero();
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
}
