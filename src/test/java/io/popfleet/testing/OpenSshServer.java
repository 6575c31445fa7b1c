package io.popfleet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A real OpenSSH {@code sshd} on a loopback address, with its own config, ed25519 host key and authorized_keys in
 * a temp directory, and {@code HOME} pointed there (SetEnv), so nothing touches the real user's files.
 * {@link #available()} tells tests whether to skip.
 */
public final class OpenSshServer implements AutoCloseable {

    public static final Path SSHD = Path.of("/usr/sbin/sshd");

    private final InetAddress address;
    private final int port;
    private final Path dir;
    private final KeyPair hostKey;
    private final Process process;

    private OpenSshServer(InetAddress address, int port, Path dir, KeyPair hostKey, Process process) {
        this.address = address;
        this.port = port;
        this.dir = dir;
        this.hostKey = hostKey;
        this.process = process;
    }

    public static boolean available() {
        return Files.isExecutable(SSHD);
    }

    /** Starts sshd on {@code address}, accepting {@code clientKey} for the current user. */
    public static OpenSshServer start(InetAddress address, KeyPair clientKey) {
        return start(address, clientKey, System.getProperty("user.name"), Map.of());
    }

    /**
     * Starts sshd on {@code address}, accepting {@code clientKey} for {@code user} (another local user when the
     * tests run as root), with {@code env} set in every session (HOME defaults to the server's home directory).
     */
    public static OpenSshServer start(InetAddress address, KeyPair clientKey, String user, Map<String, String> env) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("popfleet-sshd");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            if ("root".equals(System.getProperty("user.name"))) {
                Files.createDirectories(Path.of("/run/sshd")); // sshd's privilege-separation directory
            }
            KeyPair hostKey = KeyUtils.generateKeyPair("ssh-ed25519", 256);
            Path hostKeyFile = dir.resolve("host_ed25519");
            writePrivate(hostKeyFile, hostKey);
            Files.writeString(dir.resolve("authorized_keys"), PublicKeyEntry.toString(clientKey.getPublic()) + "\n");
            if (!user.equals(System.getProperty("user.name"))) {
                // sshd reads authorized_keys as the user logging in: let another user through to that one file.
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
                Files.setPosixFilePermissions(dir.resolve("authorized_keys"), PosixFilePermissions.fromString("rw-r--r--"));
            }
            int port = freePort(address);
            Files.writeString(dir.resolve("sshd_config"), String.join("\n",
                    "ListenAddress " + address.getHostAddress() + ":" + port,
                    "HostKey " + hostKeyFile,
                    "PidFile " + dir.resolve("sshd.pid"),
                    "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "StrictModes no", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no",
                    "PubkeyAuthentication yes", "PermitRootLogin prohibit-password",
                    "AllowUsers " + user, "MaxSessions 10", "MaxStartups 200:30:400",
                    "SetEnv " + setEnv(dir, env), "LogLevel ERROR", ""));
            Files.createDirectories(dir.resolve("home"));
            Process process = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", dir.resolve("sshd_config")
                    .toString()).redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
            awaitListening(address, port, process, dir);
            return new OpenSshServer(address, port, dir, hostKey, process);
        } catch (IOException e) {
            TestFiles.deleteRecursively(dir);
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            TestFiles.deleteRecursively(dir);
            throw new IllegalStateException(e);
        }
    }

    private static String setEnv(Path dir, Map<String, String> env) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("HOME", dir.resolve("home").toString());
        all.putAll(env);
        StringBuilder line = new StringBuilder();
        all.forEach((name, value) -> line.append(line.isEmpty() ? "" : " ").append(name).append('=').append(value));
        return line.toString();
    }

    public String host() {
        return address.getHostAddress();
    }

    public int port() {
        return port;
    }

    public KeyPair hostKey() {
        return hostKey;
    }

    /** The session's HOME, a directory of this server. */
    public Path home() {
        return dir.resolve("home");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        TestFiles.deleteRecursively(dir);
    }

    private static void writePrivate(Path file, KeyPair key) throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "popfleet-test", null, out);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.write(file, out.toByteArray());
    }

    private static int freePort(InetAddress address) throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, address)) {
            return probe.getLocalPort();
        }
    }

    /** Until sshd accepts connections; an sshd that exits (the IOException escapes the wait) or stays deaf fails. */
    private static void awaitListening(InetAddress address, int port, Process process, Path dir) throws IOException {
        try {
            await("sshd to listen").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> {
                if (!process.isAlive()) {
                    throw new IOException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
                }
                return accepts(address, port);
            });
        } catch (ConditionTimeoutException e) {
            process.destroyForcibly();
            throw new IOException("sshd did not listen within 10 s: " + Files.readString(dir.resolve("sshd.log")), e);
        }
    }

    private static boolean accepts(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

}
