package io.popfleet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.io.IoServiceEventListener;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.popfleet.ssh.CredentialSource;
import io.popfleet.ssh.CredentialUnavailableException;
import io.popfleet.ssh.InMemoryHostKeyStore;
import io.popfleet.ssh.SshTarget;

/**
 * A fleet of simulated nodes for tests: node {@code i} listens on its own loopback address (127.0.0.2, .3, ...),
 * presents its own ed25519 host key, runs exec requests with {@code bash -c} in its own directory, accepts the
 * fleet's client key, and can be told to misbehave ({@link Fault}).
 *
 * <p>All nodes share one MINA acceptor bound to all their addresses, so 1,000 nodes cost one small I/O pool, not
 * 1,000 (the host key, directory and faults are chosen by the address a connection arrived on).
 *
 * <pre>{@code @RegisterExtension static final SshTestFleet FLEET = SshTestFleet.ofSize(3);}</pre>
 */
public final class SshTestFleet implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AutoCloseable {

    public static final String CREDENTIAL = "test-fleet";

    private final int size;
    private final List<FleetNode> nodes = new ArrayList<>();
    private final Map<InetAddress, FleetNode> byAddress = new ConcurrentHashMap<>();
    private Duration bannerDelay = Duration.ofSeconds(3);
    private boolean inProcessEcho;
    private int firstAddress;
    private NodeCommands commands;
    private Path root;
    private KeyPair clientKey;
    private FleetServer server;
    private ExecutorService pumps;

    private SshTestFleet(int size) {
        this.size = size;
    }

    public static SshTestFleet ofSize(int size) {
        return new SshTestFleet(size);
    }

    /** What a node runs for an exec request, instead of {@code bash -c} in its directory. */
    @FunctionalInterface
    public interface NodeCommands {
        Command command(FleetNode node, String command, ExecutorService pumps);
    }

    /**
     * Nodes answer exec requests with {@code commands} instead of bash (the fault tests' recording nodes); such
     * commands act out the faults they support themselves.
     */
    public SshTestFleet commands(NodeCommands nodeCommands) {
        commands = nodeCommands;
        return this;
    }

    public SshTestFleet bannerDelay(Duration delay) {
        bannerDelay = delay;
        return this;
    }

    /**
     * The client key the nodes accept, instead of a new one: fleets in several processes (the benchmarks' 10,000
     * nodes, more sockets than one process may open) answer one credential.
     */
    public SshTestFleet clientKey(KeyPair key) {
        clientKey = key;
        return this;
    }

    /** Addresses start this many nodes further up 127.0.0.0/8, so fleets in several processes never overlap. */
    public SshTestFleet firstAddress(int nodesBefore) {
        firstAddress = nodesBefore;
        return this;
    }

    /** Answer plain {@code echo} commands in-process instead of forking bash (for the benchmark). */
    public SshTestFleet inProcessEcho(boolean enabled) {
        inProcessEcho = enabled;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    /** Each test starts from a well-behaved fleet. */
    @Override
    public void beforeEach(ExtensionContext context) {
        for (FleetNode node : nodes) {
            for (Fault fault : Fault.values()) {
                clear(node.index(), fault);
            }
        }
    }

    public SshTestFleet start() {
        try {
            root = Files.createTempDirectory("popfleet-fleet");
            if (clientKey == null) {
                clientKey = ed25519();
            }
            for (int i = 0; i < size; i++) {
                Path home = Files.createDirectories(root.resolve("node-" + i));
                FleetNode node = new FleetNode(i, loopbackAddress(firstAddress + i), home, ed25519(), ed25519());
                nodes.add(node);
                byAddress.put(node.address(), node);
            }
            pumps = Executors.newCachedThreadPool(runnable -> {
                Thread thread = new Thread(runnable, "fleet-pump");
                thread.setDaemon(true);
                return thread;
            });
            server = (FleetServer) ServerBuilder.builder().factory(FleetServer::new).build();
            server.setHost(nodes.get(0).host());
            server.setPort(0);
            CoreModuleProperties.NIO_WORKERS.set(server, 4);
            server.setKeyPairProvider(new PerNodeHostKeys());
            server.setPublickeyAuthenticator((user, key, session) -> !nodeOf(session).has(Fault.AUTH_FAILURE)
                    && KeyUtils.compareKeys(key, clientKey.getPublic()));
            server.setPasswordAuthenticator(null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setCommandFactory((channel, command) -> {
                if (commands != null) {
                    return commands.command(nodeOf(channel.getSession()), command, pumps);
                }
                return inProcessEcho && EchoCommand.PLAIN_ECHO.matcher(command).matches() ? new EchoCommand(command)
                        : new TestNodeCommand(nodeOf(channel.getSession()), command, pumps);
            });
            server.setIoServiceEventListener(new BannerDelay());
            // any node can serve as a bastion (direct-tcpip to the other nodes); tests only
            server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
            server.start();
            nodes.get(0).port(((InetSocketAddress) server.getBoundAddresses().iterator().next()).getPort());
            for (FleetNode node : nodes.subList(1, nodes.size())) {
                server.acceptor().bind(new InetSocketAddress(node.address(), 0));
            }
            for (SocketAddress bound : server.acceptor().getBoundAddresses()) {
                InetSocketAddress inet = (InetSocketAddress) bound;
                byAddress.get(inet.getAddress()).port(inet.getPort());
            }
            return this;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        }
    }

    public int size() {
        return nodes.size();
    }

    public FleetNode node(int index) {
        return nodes.get(index);
    }

    public List<FleetNode> nodes() {
        return List.copyOf(nodes);
    }

    /** Node {@code i} as the engine sees it, logging in as {@code pop} with the fleet credential. */
    public SshTarget target(int index) {
        FleetNode node = node(index);
        return new SshTarget(index + 1L, "node-" + index, node.host(), node.port(), "pop", CREDENTIAL);
    }

    /** Node {@code i} under a node id the test chose (e.g. a row it inserted in the node table). */
    public SshTarget target(int index, long nodeId, String name) {
        FleetNode node = node(index);
        return new SshTarget(nodeId, name, node.host(), node.port(), "pop", CREDENTIAL);
    }

    /** The fleet's client key as an OpenSSH private key file, optionally passphrase-protected. */
    public String clientKeyOpenSsh(String passphrase) {
        OpenSSHKeyEncryptionContext encryption = null;
        if (passphrase != null) {
            encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(clientKey, "test-fleet", encryption, out);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** known_hosts lines for every node's real host key. */
    public String knownHosts() {
        StringBuilder lines = new StringBuilder();
        for (FleetNode node : nodes) {
            lines.append('[').append(node.host()).append("]:").append(node.port()).append(' ')
                    .append(PublicKeyEntry.toString(node.hostKey().getPublic())).append('\n');
        }
        return lines.toString();
    }

    public KeyPair clientKey() {
        return clientKey;
    }

    /** Resolves {@link #CREDENTIAL} to the fleet's client key; other names are unknown. */
    public CredentialSource credentials() {
        return name -> {
            if (!CREDENTIAL.equals(name)) {
                throw new CredentialUnavailableException("unknown credential " + name);
            }
            return clientKey;
        };
    }

    /** A store with every node's real host key pinned. */
    public InMemoryHostKeyStore pinnedHostKeys() {
        InMemoryHostKeyStore store = new InMemoryHostKeyStore();
        nodes.forEach(node -> store.pin(node.host(), node.port(), node.hostKey().getPublic()));
        return store;
    }

    public void inject(int index, Fault fault) {
        FleetNode node = node(index);
        node.set(fault, true);
        if (fault == Fault.REFUSE_CONNECTION) {
            server.acceptor().unbind(node.socketAddress());
            awaitRefused(node.socketAddress());
        }
    }

    /**
     * Returns once a connect to {@code address} is refused. A full suite once saw the first connect after an
     * unbind accepted and reset ("connection closed", not "refused"): the fault is in force only when the kernel
     * says so, and a node that keeps accepting fails here, naming the fleet rather than the code under test.
     */
    private static void awaitRefused(InetSocketAddress address) {
        org.awaitility.Awaitility.await(address + " refusing connections after its unbind")
                .atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20)).until(() -> refuses(address));
    }

    private static boolean refuses(InetSocketAddress address) {
        try (java.net.Socket probe = new java.net.Socket()) {
            probe.connect(address, 1000);
            return false;
        } catch (java.net.ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false; // a timeout or a reset: not a refusal yet
        }
    }

    public void clear(int index, Fault fault) {
        FleetNode node = node(index);
        if (fault == Fault.REFUSE_CONNECTION && node.has(Fault.REFUSE_CONNECTION)) {
            try {
                server.acceptor().bind(node.socketAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        node.set(fault, false);
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.stop(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (pumps != null) {
                pumps.shutdownNow();
            }
            TestFiles.deleteRecursively(root);
            nodes.clear();
            byAddress.clear();
        }
    }

    private FleetNode nodeOf(SessionContext session) {
        InetSocketAddress local = (InetSocketAddress) ((Session) session).getIoSession().getLocalAddress();
        FleetNode node = byAddress.get(local.getAddress());
        if (node == null) {
            throw new IllegalStateException("no fleet node at " + local);
        }
        return node;
    }

    /** 127.0.0.2 upwards, skipping .0 and .255 in the last octet (127.0.0.1 stays the controller's). */
    static InetAddress loopbackAddress(int index) throws UnknownHostException {
        int n = index + 1;
        byte[] bytes = {127, 0, (byte) (n / 254), (byte) (n % 254 + 1)};
        return InetAddress.getByAddress(bytes);
    }

    private static KeyPair ed25519() {
        try {
            return KeyUtils.generateKeyPair("ssh-ed25519", 256);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ed25519 unavailable (BouncyCastle missing?)", e);
        }
    }

    /** Exposes the acceptor, so one server can listen on every node's address. */
    private static final class FleetServer extends SshServer {
        IoAcceptor acceptor() {
            return acceptor;
        }
    }

    private final class PerNodeHostKeys implements KeyPairProvider {
        @Override
        public Iterable<KeyPair> loadKeys(SessionContext session) {
            return List.of(nodeOf(session).presentedHostKey());
        }
    }

    private final class BannerDelay implements IoServiceEventListener {
        @Override
        public void connectionAccepted(IoAcceptor acceptor, SocketAddress local, SocketAddress remote,
                SocketAddress service) {
            FleetNode node = byAddress.get(((InetSocketAddress) local).getAddress());
            if (node != null && node.has(Fault.DELAY_BANNER)) {
                try {
                    // blocks one of the fleet's I/O threads: fine for a test, and the client sees silence
                    Thread.sleep(bannerDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
