package io.popfleet.backup;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The store contract against a real S3-compatible server on loopback (S3Proxy), plus what is S3's own. */
class S3BackupStoreTest extends BackupStoreContract {

    private static final long PART = 5L * 1024 * 1024;

    private static LoopbackS3 server;

    @TempDir
    Path dir;

    private final List<S3BackupStore> opened = new ArrayList<>();

    @BeforeAll
    static void startServer() throws Exception {
        server = LoopbackS3.shared();
    }

    @AfterEach
    void closeStores() {
        opened.forEach(S3BackupStore::close);
    }

    /** Each test its own prefix in the one bucket, so a test sees only its own objects. */
    @Override
    BackupStore store() throws Exception {
        int n = opened.size();
        S3BackupStore store = S3BackupStore.connect(server.settings("t" + System.nanoTime() + "-" + n, PART),
                server.secretAccessKey, dir.resolve("work-" + n));
        opened.add(store);
        return store;
    }

    /** Another client on the same bucket prefix and work directory, as after a restart. */
    @Override
    BackupStore reopen(BackupStore store) throws Exception {
        S3BackupStore again = S3BackupStore.connect(((S3BackupStore) store).settings(), server.secretAccessKey,
                store.workDirectory());
        opened.add(again);
        return again;
    }

    @Override
    void assertNothingLeftOver(BackupStore store) throws IOException {
        super.assertNothingLeftOver(store);
        assertThat(((S3BackupStore) store).pendingUploads()).as("unfinished multipart uploads").isZero();
    }

    @Test
    void objectsAreContentAddressedUnderThePrefix() throws Exception {
        S3BackupStore store = S3BackupStore.connect(server.settings("fleet-a", PART), server.secretAccessKey,
                dir.resolve("work"));
        opened.add(store);
        String sha = "ab" + "0".repeat(62);
        assertThat(store.key(sha)).isEqualTo("fleet-a/ab/" + sha + ".pfb");
        assertThat(store.describe()).contains("s3://" + server.bucket + "/fleet-a/")
                .contains(server.endpoint().toString()).doesNotContain(server.secretAccessKey);
    }

    @Test
    void aWrongSecretIsRefusedByTheServerAndNothingIsStored() throws Exception {
        S3BackupStore wrong = S3BackupStore.connect(server.settings("wrong", PART), "not-the-secret",
                dir.resolve("wrong"));
        opened.add(wrong);
        byte[] bytes = "refused".getBytes(StandardCharsets.UTF_8);
        String sha = sha256(bytes);
        try (BackupStore.Incoming incoming = wrong.create()) {
            incoming.output().write(bytes);
            assertThatThrownBy(() -> incoming.commit(sha)).isInstanceOf(IOException.class)
                    .hasMessageContaining("upload of wrong/").hasMessageNotContaining("not-the-secret");
        }
        try (var files = Files.list(dir.resolve("wrong").resolve("incoming"))) {
            assertThat(files).as("the staged ciphertext is removed").isEmpty();
        }
        BackupStore right = store();
        assertThat(right.list()).isEmpty();
    }

    /** Verify must not take a store outage for a bad archive: an unreachable or refusing store says so. */
    @Test
    void aStoreThatCannotBeReachedOrRefusesTheKeyIsUnavailableNotAMissingArchive() throws Exception {
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        S3BackupStore down = S3BackupStore.connect(new S3BackupStore.Settings(Optional.of(URI.create(
                "http://127.0.0.1:" + closedPort)), "us-east-1", server.bucket, "", true, server.accessKeyId, PART),
                server.secretAccessKey, dir.resolve("down"));
        S3BackupStore refused = S3BackupStore.connect(server.settings("refused", PART), "not-the-secret",
                dir.resolve("refused"));
        opened.add(down);
        opened.add(refused);
        String sha = "cd" + "1".repeat(62);
        for (S3BackupStore store : List.of(down, refused)) {
            assertThatThrownBy(() -> store.open(sha)).isInstanceOf(BackupStore.Unavailable.class);
            assertThatThrownBy(() -> store.exists(sha)).hasCauseInstanceOf(BackupStore.Unavailable.class);
            assertThatThrownBy(store::list).isInstanceOf(BackupStore.Unavailable.class);
        }
    }

    @Test
    void aBucketThatDoesNotExistFailsTheCommitNotTheCaller() throws Exception {
        S3BackupStore store = S3BackupStore.connect(new S3BackupStore.Settings(Optional.of(server.endpoint()),
                "us-east-1", "no-such-bucket", "", true, server.accessKeyId, PART), server.secretAccessKey,
                dir.resolve("nb"));
        opened.add(store);
        byte[] big = new byte[(int) PART + 1]; // multipart: the create fails, so there is nothing to abort
        try (BackupStore.Incoming incoming = store.create()) {
            incoming.output().write(big);
            assertThatThrownBy(() -> incoming.commit(sha256(big))).isInstanceOf(IOException.class);
        }
        assertThatThrownBy(store::list).isInstanceOf(IOException.class).hasMessageContaining("no-such-bucket");
    }

    @Test
    void settingsAreCheckedWithClearMessages() {
        URI endpoint = server.endpoint();
        assertThatThrownBy(() -> new S3BackupStore.Settings(Optional.of(endpoint), "us-east-1", " ", "", true, "id",
                PART)).hasMessageContaining("popfleet.backup.s3.bucket");
        assertThatThrownBy(() -> new S3BackupStore.Settings(Optional.of(endpoint), "us-east-1", "b", "", true, null,
                PART)).hasMessageContaining("popfleet.backup.s3.access-key-id");
        assertThatThrownBy(() -> new S3BackupStore.Settings(Optional.of(endpoint), "us-east-1", "b", "", true, "id",
                1024)).hasMessageContaining("5 MiB");
        assertThat(new S3BackupStore.Settings(Optional.empty(), "eu-west-1", "b", "p", false, "id", PART).prefix())
                .isEqualTo("p/");
    }

    @Test
    void theSecretComesFromTheEnvironmentOrAPrivateFileNeverASetting() throws Exception {
        assertThat(BackupStoreProducer.secretAccessKey(Map.of(BackupStoreProducer.SECRET_ENV, " s3cr3t\n"),
                Optional.empty())).isEqualTo("s3cr3t");
        assertThatThrownBy(() -> BackupStoreProducer.secretAccessKey(Map.of(), Optional.empty()))
                .hasMessageContaining(BackupStoreProducer.SECRET_ENV);

        Path file = dir.resolve("secret");
        Files.writeString(file, "from-file\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> BackupStoreProducer.secretAccessKey(Map.of(), Optional.of(file.toString())))
                .hasMessageContaining("readable by others").hasMessageNotContaining("from-file");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(BackupStoreProducer.secretAccessKey(Map.of(), Optional.of(file.toString())))
                .isEqualTo("from-file");
    }

    @Test
    void theProducerMakesTheS3StoreFromSettingsAndASecretFile() throws Exception {
        Path secret = dir.resolve("s3.secret");
        Files.writeString(secret, server.secretAccessKey + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("r--------"));
        String prefix = "produced-" + System.nanoTime();
        Map<String, Object> s3 = Map.of("endpoint", Optional.of(server.endpoint().toString()), "region", "us-east-1",
                "bucket", Optional.of(server.bucket), "prefix", Optional.of(prefix), "pathStyle", true,
                "accessKeyId", Optional.of(server.accessKeyId), "secretAccessKeyFile", Optional.of(secret.toString()),
                "partSize", PART);
        Map<String, Object> backup = Map.of("store", BackupConfig.StoreType.S3, "directory",
                Optional.of(dir.resolve("produced").toString()), "s3", config(BackupConfig.S3.class, s3));
        BackupStoreProducer producer = new BackupStoreProducer();
        BackupStore store = producer.store(config(BackupConfig.class, backup), dir.toString());
        try {
            assertThat(store).isInstanceOf(S3BackupStore.class);
            assertThat(store.describe()).startsWith("s3://" + server.bucket + "/" + prefix + "/");
            assertThat(store.workDirectory()).isEqualTo(dir.resolve("produced").toAbsolutePath());
            byte[] bytes = "through the producer".getBytes(StandardCharsets.UTF_8);
            try (BackupStore.Incoming incoming = store.create()) {
                incoming.output().write(bytes);
                incoming.commit(sha256(bytes));
            }
            assertThat(store.list()).containsExactly(sha256(bytes));
        } finally {
            producer.close(store);
        }

        Map<String, Object> directory = Map.of("store", BackupConfig.StoreType.DIRECTORY, "directory",
                Optional.empty());
        assertThat(producer.store(config(BackupConfig.class, directory), dir.toString()))
                .isInstanceOf(DirectoryBackupStore.class).satisfies(
                        made -> assertThat(made.workDirectory()).isEqualTo(dir.resolve("backups").toAbsolutePath()));
    }

    /** A config mapping answering only the given names: whatever else the producer read would fail the test. */
    private static <T> T config(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
            if (!values.containsKey(method.getName())) {
                throw new AssertionError("the producer read " + method.getName() + ", not given");
            }
            return values.get(method.getName());
        }));
    }
}
