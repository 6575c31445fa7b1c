package io.popfleet.database;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL server run from the binaries bundled in the jar, so the controller needs no database
 * installed. Data lives in {@code dataDir}; the server listens on 127.0.0.1 only, on a free port chosen at each
 * start, and requires a password generated on first start and kept in a 0600 file beside the data.
 *
 * <p>Why not zonky's own {@code EmbeddedPostgres}: it turns {@code fsync} off (an operator's inventory must
 * survive a power cut), uses trust authentication, and cannot run as root, which PostgreSQL refuses. We only
 * take its binaries. As root, every PostgreSQL binary runs inside a user namespace where our uid is not 0
 * ({@code unshare --user --map-user}), so the server still owns its files but does not run privileged.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String DATABASE = "postgres";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Path binDir;
    private final boolean durable;
    private final String password;
    private final int port;
    private final DataDirLock lock;
    private boolean running;

    private EmbeddedPostgres(DataDirLock lock, Path dataDir, Path binDir, boolean durable, String password,
            int port) {
        this.lock = lock;
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.durable = durable;
        this.password = password;
        this.port = port;
    }

    /**
     * Starts a server on {@code baseDir}/pgdata, creating the cluster on first use.
     *
     * @param durable {@code false} turns off fsync; only tests, whose data is thrown away, should ask for that.
     *        Commits stay synchronous either way: the WAL reaches the operating system before a commit is
     *        acknowledged, so a killed server ({@link #restart()}) loses nothing it acknowledged, as on a real one;
     *        only a power cut could
     */
    public static EmbeddedPostgres start(Path baseDir, boolean durable) {
        return start(baseDir, durable, null);
    }

    /**
     * As {@link #start(Path, boolean)}, with the server programs of another PostgreSQL installation: the restore
     * drill runs the server whose {@code pg_dump} and {@code pg_restore} it has (zonky's bundle ships neither).
     *
     * @param installedBinDir a directory with {@code initdb}, {@code pg_ctl} and {@code postgres}; null for the
     *        bundled server
     */
    public static EmbeddedPostgres start(Path baseDir, boolean durable, Path installedBinDir) {
        DataDirLock lock = DataDirLock.take(baseDir);
        try {
            Path binDir = installedBinDir != null ? installedBinDir
                    : PostgresBinaries.extractTo(baseDir.resolve("pg-bin"));
            String password = readOrCreatePassword(baseDir.resolve("postgres.password"));
            EmbeddedPostgres pg = new EmbeddedPostgres(lock, baseDir.resolve("pgdata"), binDir, durable, password,
                    freePort());
            pg.initIfNeeded();
            // Only the lock holder gets here, so a running server found now was left by a controller killed hard.
            pg.stopLeftover();
            pg.startServer();
            return pg;
        } catch (IOException e) {
            lock.close();
            throw new UncheckedIOException("cannot start the embedded PostgreSQL in " + baseDir, e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    public String username() {
        return USER;
    }

    public String password() {
        return password;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public synchronized void close() {
        if (!running) {
            return;
        }
        try {
            run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"));
            running = false;
        } finally {
            if (!running) {
                lock.close(); // kept while a server we could not stop may still be running
            }
        }
    }

    /**
     * Stops the server the way a crash does ({@code immediate}: connections cut, recovery at the next start) and
     * starts it again on the same port, so clients that reconnect find it where it was. For fault drills.
     */
    public synchronized void restart() {
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "-t", "60", "stop"));
        running = false;
        startServer();
    }

    /** For tests: drops the data-directory lock as the operating system does when a controller is killed. */
    void releaseLockAsIfKilled() {
        lock.close();
    }

    private void initIfNeeded() throws IOException {
        if (Files.exists(dataDir.resolve("PG_VERSION"))) {
            return;
        }
        Files.createDirectories(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Path pwFile = Files.createTempFile(dataDir.getParent(), "pw", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(pwFile, password + "\n");
            run(List.of(bin("initdb"), "-D", dataDir.toString(), "-U", USER, "--pwfile=" + pwFile,
                    "-A", "scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
        } finally {
            Files.deleteIfExists(pwFile);
        }
    }

    /** A controller killed hard leaves its server running; stop it so this start owns the data directory. */
    private void stopLeftover() {
        if (Files.exists(dataDir.resolve("postmaster.pid"))
                && exec(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "status")).exitCode() == 0) {
            run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
        }
    }

    private void startServer() {
        String options = String.join(" ",
                "-p", Integer.toString(port),
                "-c", "listen_addresses=127.0.0.1",
                "-c", "unix_socket_directories=''",
                "-c", "fsync=" + (durable ? "on" : "off"),
                // never off: an immediate stop would then drop acknowledged commits, which no real server does
                "-c", "synchronous_commit=on",
                "-c", "full_page_writes=" + (durable ? "on" : "off"),
                "-c", "max_connections=100");
        run(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", dataDir.resolveSibling("postgres.log").toString(),
                "-o", options, "-w", "-t", Long.toString(START_TIMEOUT.toSeconds()), "start"));
        running = true;
    }

    private String bin(String name) {
        return binDir.resolve(name).toString();
    }

    private static void run(List<String> command) {
        ExecOutcome outcome = exec(command);
        if (outcome.exitCode() != 0) {
            throw new IllegalStateException("embedded PostgreSQL: " + Path.of(command.get(0)).getFileName()
                    + " exited " + outcome.exitCode() + ": " + outcome.output().strip());
        }
    }

    private static ExecOutcome exec(List<String> command) {
        List<String> full = new ArrayList<>();
        if (isRoot()) {
            full.addAll(List.of("unshare", "--user", "--map-user=1000", "--map-group=1000"));
        }
        full.addAll(command);
        Path output = null;
        try {
            output = Files.createTempFile("popfleet-pg", ".out");
            // Output goes to a file, not a pipe: a server started by pg_ctl must not inherit a pipe we wait on.
            Process process = new ProcessBuilder(full).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            if (!process.waitFor(START_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new ExecOutcome(-1, "timed out");
            }
            return new ExecOutcome(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command.get(0), e);
        } finally {
            deleteQuietly(output);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }

    private record ExecOutcome(int exitCode, String output) {
    }

    static boolean isRoot() {
        return new com.sun.security.auth.module.UnixSystem().getUid() == 0;
    }

    private static String readOrCreatePassword(Path file) throws IOException {
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        Files.writeString(Files.createFile(file,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))), password);
        return password;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
