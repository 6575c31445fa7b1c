package io.popfleet.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.popfleet.database.EmbeddedPostgres;
import io.popfleet.security.MasterKey;
import io.popfleet.security.SecretBox;
import io.popfleet.security.SecretUnreadableException;
import io.popfleet.testing.TestFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The backup and restore of docs/operations.md, done: a controller database holding a sealed SSH credential is
 * dumped with {@code pg_dump}, restored with {@code pg_restore} into a new server, and read back with the escrowed
 * master key, the way the controller reads it ({@link CredentialService#open}); another key opens nothing.
 * Needs {@code pg_dump}/{@code pg_restore} with a server of the same version beside them (zonky's bundle ships
 * only the server); skips without.
 */
class ControllerRestoreDrillTest {

    private static final String CREDENTIAL = "fleet-key";
    private final List<AutoCloseable> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable server : servers) {
            server.close();
        }
        dirs.forEach(TestFiles::deleteRecursively);
    }

    @Test
    void aRestoredDumpOpensItsSealedCredentialWithTheEscrowedKeyAndWithNoOther() throws Exception {
        Optional<Path> tools = postgresTools();
        assumeTrue(tools.isPresent(), "no pg_dump/pg_restore with a PostgreSQL server of the same version");

        // The controller as it ran: its schema, its master key in its data dir, one credential sealed with it.
        Path controllerDir = dir("controller");
        EmbeddedPostgres live = server(tools.get(), "live");
        migrate(live);
        SecretBox liveBox = new SecretBox(MasterKey.load(Map.of(), controllerDir));
        KeyPair pair = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        try (Connection db = connect(live); PreparedStatement insert = db.prepareStatement("insert into"
                + " ssh_credential (id, name, key_type, public_key, fingerprint, private_key_sealed, created_by)"
                + " values (1, ?, 'ssh-ed25519', ?, ?, ?, 'drill')")) {
            insert.setString(1, CREDENTIAL);
            insert.setString(2, HostKeys.openSshLine(pair.getPublic()));
            insert.setString(3, HostKeys.fingerprint(pair.getPublic()));
            insert.setBytes(4, CredentialService.seal(liveBox, CREDENTIAL, pair));
            insert.executeUpdate();
        }

        // Backup: the dump in one place, the master key escrowed in another.
        Path dump = dir("backups").resolve("popfleet.dump");
        tool(tools.get(), live, "pg_dump", "--format=custom", "--file=" + dump, EmbeddedPostgres.DATABASE);
        Path escrow = dir("escrow");
        Files.copy(controllerDir.resolve(MasterKey.FILE_NAME), escrow.resolve(MasterKey.FILE_NAME));
        live.close();

        // Restore on a new machine: a new server, the dump, the escrowed key in the new data dir.
        EmbeddedPostgres restored = server(tools.get(), "restored");
        tool(tools.get(), restored, "pg_restore", "--exit-on-error", "--no-owner", "--dbname="
                + EmbeddedPostgres.DATABASE, dump.toString());
        assertThat(migrate(restored)).as("the restored schema is the controller's, nothing left to migrate")
                .isZero();
        Path newDataDir = dir("new-controller");
        Files.copy(escrow.resolve(MasterKey.FILE_NAME), newDataDir.resolve(MasterKey.FILE_NAME));
        byte[] sealed = sealedCredential(restored);

        KeyPair read = CredentialService.open(new SecretBox(MasterKey.load(Map.of(), newDataDir)), CREDENTIAL,
                sealed);
        assertThat(KeyUtils.compareKeys(read.getPublic(), pair.getPublic())).isTrue();
        assertThat(signsForTheOriginalPublicKey(read, pair)).as("the restored private key is the original").isTrue();

        // Without the escrowed key (a fresh one is made in an empty data dir) the dump is useless: by design.
        SecretBox otherKey = new SecretBox(MasterKey.load(Map.of(), dir("lost-key")));
        assertThatThrownBy(() -> CredentialService.open(otherKey, CREDENTIAL, sealed))
                .isInstanceOf(SecretUnreadableException.class);
        // And the escrow as an environment value (POPFLEET_MASTER_KEY) opens it as well as the file.
        String escrowed = Files.readString(escrow.resolve(MasterKey.FILE_NAME), StandardCharsets.US_ASCII).trim();
        SecretBox fromEnv = new SecretBox(MasterKey.load(Map.of(MasterKey.ENV, escrowed), dir("empty")));
        assertThat(KeyUtils.compareKeys(CredentialService.open(fromEnv, CREDENTIAL, sealed).getPublic(),
                pair.getPublic())).isTrue();
    }

    private static boolean signsForTheOriginalPublicKey(KeyPair read, KeyPair original) throws Exception {
        byte[] challenge = "restore drill".getBytes(StandardCharsets.UTF_8);
        Signature signer = BuiltinSignatures.ed25519.create();
        signer.initSigner(null, read.getPrivate());
        signer.update(null, challenge);
        byte[] signature = signer.sign(null);
        Signature verifier = BuiltinSignatures.ed25519.create();
        verifier.initVerifier(null, original.getPublic());
        verifier.update(null, challenge);
        return verifier.verify(null, signature);
    }

    /** A bin directory with the client tools and a server of one version: an installed PostgreSQL, newest first. */
    private static Optional<Path> postgresTools() throws IOException {
        Path installed = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(installed)) {
            return Optional.empty();
        }
        try (Stream<Path> versions = Files.list(installed)) {
            return versions.map(v -> v.resolve("bin")).filter(ControllerRestoreDrillTest::complete)
                    .max(Comparator.comparing(ControllerRestoreDrillTest::major));
        }
    }

    private static boolean complete(Path bin) {
        return Stream.of("pg_dump", "pg_restore", "initdb", "pg_ctl", "postgres")
                .allMatch(name -> Files.isExecutable(bin.resolve(name)));
    }

    private static int major(Path bin) {
        String version = bin.getParent().getFileName().toString();
        return version.matches("\\d+") ? Integer.parseInt(version) : 0;
    }

    private EmbeddedPostgres server(Path tools, String name) throws IOException {
        EmbeddedPostgres server = EmbeddedPostgres.start(dir(name + "-pg"), false, tools);
        servers.add(server);
        return server;
    }

    private static int migrate(EmbeddedPostgres server) {
        return Flyway.configure().dataSource(server.jdbcUrl(), server.username(), server.password())
                .locations("classpath:db/migration").load().migrate().migrationsExecuted;
    }

    private static byte[] sealedCredential(EmbeddedPostgres server) throws SQLException {
        try (Connection db = connect(server); Statement sql = db.createStatement();
                ResultSet row = sql.executeQuery("select private_key_sealed from ssh_credential where name = '"
                        + CREDENTIAL + "'")) {
            assertThat(row.next()).as("the credential is in the restored database").isTrue();
            return row.getBytes(1);
        }
    }

    private static Connection connect(EmbeddedPostgres server) throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
    }

    private void tool(Path tools, EmbeddedPostgres server, String program, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(tools.resolve(program).toString(), "--host=127.0.0.1",
                "--port=" + server.jdbcUrl().replaceAll(".*:(\\d+)/.*", "$1"), "--username=" + server.username(),
                "--no-password"));
        command.addAll(Arrays.asList(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("PGPASSWORD", server.password());
        Path output = dir(program).resolve("output");
        Process process = builder.redirectOutput(output.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(program + " finished").isTrue();
        assertThat(process.exitValue()).as(program + ": " + Files.readString(output)).isZero();
    }

    private Path dir(String name) throws IOException {
        Path dir = Files.createTempDirectory("popfleet-drill-" + name);
        dirs.add(dir);
        return dir;
    }
}
