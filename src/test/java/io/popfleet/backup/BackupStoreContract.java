package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link BackupStore} does, run against each one by its subclass (same bodies for every store). */
abstract class BackupStoreContract {

    /** A new, empty store. */
    abstract BackupStore store() throws Exception;

    /** Store-specific leftovers of an unfinished put (temp files, multipart uploads): none may remain. */
    void assertNothingLeftOver(BackupStore store) throws IOException {
        try (var files = Files.list(store.workDirectory().resolve("incoming"))) {
            assertThat(files).as("temp files in " + store.workDirectory()).isEmpty();
        }
    }

    @Test
    void aCommittedArchiveIsListedReadBackAndDeleted() throws Exception {
        BackupStore store = store();
        byte[] bytes = new byte[100_000];
        new Random(7).nextBytes(bytes);
        String sha = sha256(bytes);
        assertThat(store.exists(sha)).isFalse();
        assertThat(store.open(sha)).isEmpty();

        try (BackupStore.Incoming incoming = store.create()) {
            try (OutputStream out = incoming.output()) {
                out.write(bytes, 0, 40_000);
                out.write(bytes, 40_000, bytes.length - 40_000);
            }
            assertThat(store.list()).as("not visible before commit").isEmpty();
            assertThat(incoming.commit(sha)).isEqualTo(bytes.length);
        }

        assertThat(store.exists(sha)).isTrue();
        assertThat(store.list()).containsExactly(sha);
        try (InputStream in = store.open(sha).orElseThrow()) {
            assertThat(in.readAllBytes()).isEqualTo(bytes);
        }
        assertNothingLeftOver(store);

        store.delete(sha);
        assertThat(store.exists(sha)).isFalse();
        assertThat(store.open(sha)).isEmpty();
        assertThat(store.list()).isEmpty();
        store.delete(sha); // deleting what is gone is not an error: retention may run twice
    }

    @Test
    void aPutWhoseStreamFailsMidwayLeavesNoObject() throws Exception {
        BackupStore store = store();
        byte[] half = new byte[70_000];
        new Random(8).nextBytes(half);
        String sha = sha256(half);
        assertThatThrownBy(() -> {
            try (BackupStore.Incoming incoming = store.create()) {
                incoming.output().write(half);
                throw new IOException("connection dropped");
            }
        }).hasMessage("connection dropped");

        assertThat(store.exists(sha)).isFalse();
        assertThat(store.list()).isEmpty();
        assertNothingLeftOver(store);
    }

    @Test
    void theSameContentStoredTwiceIsOneObject() throws Exception {
        BackupStore store = store();
        byte[] bytes = "the same archive".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = sha256(bytes);
        for (int i = 0; i < 2; i++) {
            try (BackupStore.Incoming incoming = store.create()) {
                incoming.output().write(bytes);
                incoming.commit(sha);
            }
        }
        assertThat(store.list()).containsExactly(sha);
    }

    /** Larger than an S3 part (5 MiB, S3's smallest), written and read in 64 KiB pieces, never held whole. */
    @Test
    void aLargeArchiveIsStreamedInAndOut() throws Exception {
        BackupStore store = store();
        long size = 5L * 1024 * 1024 + 12_345;
        MessageDigest written = MessageDigest.getInstance("SHA-256");
        Random random = new Random(9);
        byte[] chunk = new byte[64 * 1024];
        String sha;
        try (BackupStore.Incoming incoming = store.create()) {
            try (OutputStream out = incoming.output()) {
                for (long left = size; left > 0; left -= chunk.length) {
                    int n = (int) Math.min(chunk.length, left);
                    random.nextBytes(chunk);
                    out.write(chunk, 0, n);
                    written.update(chunk, 0, n);
                }
            }
            sha = HexFormat.of().formatHex(written.digest());
            assertThat(incoming.commit(sha)).isEqualTo(size);
        }
        MessageDigest read = MessageDigest.getInstance("SHA-256");
        long count = 0;
        try (InputStream in = new DigestInputStream(store.open(sha).orElseThrow(), read)) {
            for (int n; (n = in.read(chunk)) >= 0;) {
                count += n;
            }
        }
        assertThat(count).isEqualTo(size);
        assertThat(HexFormat.of().formatHex(read.digest())).isEqualTo(sha);
        assertNothingLeftOver(store);
    }

    @Test
    void aNameThatIsNotASha256IsRefused() throws Exception {
        BackupStore store = store();
        for (String bad : new String[] {"../../etc/passwd", "ABCDEF", "a".repeat(63), "A".repeat(64)}) {
            assertThatThrownBy(() -> store.open(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.exists(bad)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** The same store opened again over the same work directory, as after a restart. */
    abstract BackupStore reopen(BackupStore store) throws Exception;

    @Test
    void partFilesOfPullsAbandonedADayAgoAreSweptWhenTheStoreOpensAndNothingElse() throws Exception {
        BackupStore store = store();
        Path incoming = store.workDirectory().resolve("incoming");
        Path abandoned = Files.writeString(incoming.resolve("pull-123.part"), "half an archive");
        Files.setLastModifiedTime(abandoned, java.nio.file.attribute.FileTime.from(
                java.time.Instant.now().minus(StoreDirectories.ABANDONED).minusSeconds(60)));
        Path inProgress = Files.writeString(incoming.resolve("pull-456.part"), "a pull in progress");
        Path foreign = Files.writeString(incoming.resolve("notes.txt"), "not ours");
        Files.setLastModifiedTime(foreign, Files.getLastModifiedTime(abandoned));
        byte[] bytes = "kept".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sha = sha256(bytes);
        try (BackupStore.Incoming put = store.create()) {
            put.output().write(bytes);
            put.output().close();
            put.commit(sha);
        }

        BackupStore reopened = reopen(store);

        assertThat(abandoned).doesNotExist();
        assertThat(inProgress).hasContent("a pull in progress");
        assertThat(foreign).exists();
        assertThat(reopened.exists(sha)).isTrue();
    }

    @Test
    void theWorkDirectoryIsPrivateAndLocal() throws Exception {
        Path work = store().workDirectory();
        assertThat(Files.isDirectory(work)).isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(work)))
                .isEqualTo("rwx------");
    }

    static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
