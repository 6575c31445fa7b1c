package io.popfleet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.IoAcceptor;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.ServerBuilder;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

import io.popfleet.ControllerConfig;
import io.popfleet.api.ProblemException;
import io.popfleet.inventory.NodeInput;
import io.popfleet.inventory.NodeService;
import io.popfleet.metrics.MetricsPoller;
import io.popfleet.rollout.ReleaseService;
import io.popfleet.ssh.CredentialService;
import io.popfleet.ssh.HostKeyService;
import io.popfleet.ssh.HostKeys;

/**
 * A living demo fleet for a newcomer: {@code popfleet.demo.nodes} simulated PoP nodes (pop-sim directories under
 * {@code <data-dir>/demo}) served over real SSH by one in-process server listening on 127.0.0.2, .3, ... Each node
 * keeps its host key and state across restarts; the controller imports them, pins their keys and polls them like
 * any other node. Loopback only, by construction.
 */
@ApplicationScoped
public class DemoFleet {

    private static final Logger LOG = Logger.getLogger(DemoFleet.class);
    static final String CREDENTIAL = "demo";
    // Two well-formed public addresses for the demo's wallet drift: started with one, set to the other.
    private static final String STARTED_WALLET = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";
    private static final String CHANGED_WALLET = "v4VFYJo7CXyhtghAmPRqJ3s8T6MGzs7WAsztLN9g9rAk";
    /** The release most demo nodes run; the others are one behind, on {@link #PREVIOUS}. */
    static final String RELEASE = "0.2.8";
    static final String PREVIOUS = "0.2.7";

    @Inject
    DemoConfig config;

    @Inject
    ControllerConfig controller;

    @Inject
    CredentialService credentials;

    @Inject
    HostKeyService hostKeys;

    @Inject
    NodeService nodes;

    @Inject
    MetricsPoller poller;

    @Inject
    ReleaseService releases;

    private DemoServer server;
    private ExecutorService pumps;
    private Path root;
    private final List<Path> homes = new ArrayList<>();

    void start(@Observes StartupEvent event) {
        if (config.nodes() <= 0) {
            return;
        }
        try {
            root = Path.of(controller.dataDir().orElse(System.getProperty("user.home") + "/.popfleet"), "demo");
            Path sim = unpackTools(root);
            Map<InetAddress, Path> byAddress = new HashMap<>();
            Map<InetAddress, KeyPairProvider> hostKeyOf = new HashMap<>();
            for (int i = 0; i < config.nodes(); i++) {
                Path home = Files.createDirectories(root.resolve(String.format("node-%03d", i + 1)));
                if (!Files.exists(home.resolve("etc/pop/pop.conf"))) {
                    // One node in nine is a release behind (the second among the first nine, so a demo of three
                    // has one too), so the drift view and a rollout have something to show.
                    bash(home, sim.resolve("pop-sim").toString(), "init", home.toString(), "--seed",
                            Integer.toString(i + 1), "--version", i % 9 == 1 ? PREVIOUS : RELEASE);
                }
                InetAddress address = address(i);
                byAddress.put(address, home);
                SimpleGeneratorHostKeyProvider keys = new SimpleGeneratorHostKeyProvider(home.resolve("ssh_host_key"));
                keys.setAlgorithm(KeyUtils.EC_ALGORITHM);
                hostKeyOf.put(address, keys);
                homes.add(home);
            }
            if (credentials.find(CREDENTIAL).isEmpty()) {
                credentials.generateEd25519(CREDENTIAL, "demo");
            }
            PublicKey client = HostKeys.parse(credentials.find(CREDENTIAL).orElseThrow().publicKey());
            startServer(byAddress, hostKeyOf, client);
            register(hostKeyOf);
            bringUp(root.resolve("pop"));
            registerRelease(sim);
            LOG.infof("Demo fleet: %d simulated PoP nodes on 127.0.0.2-%s port %d (data in %s)", config.nodes(),
                    address(config.nodes() - 1).getHostAddress(), config.port(), root);
            poller.pollNow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo fleet", e);
        }
    }

    private void startServer(Map<InetAddress, Path> byAddress, Map<InetAddress, KeyPairProvider> hostKeyOf,
            PublicKey client) throws IOException {
        pumps = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "demo-node-io");
            thread.setDaemon(true);
            return thread;
        });
        server = (DemoServer) ServerBuilder.builder().factory(DemoServer::new).build();
        server.setHost(address(0).getHostAddress());
        server.setPort(config.port());
        CoreModuleProperties.NIO_WORKERS.set(server, 2);
        server.setKeyPairProvider(session -> hostKeyOf.get(local(session)).loadKeys(session));
        server.setPublickeyAuthenticator((user, key, session) -> KeyUtils.compareKeys(key, client));
        server.setPasswordAuthenticator(null);
        server.setKeyboardInteractiveAuthenticator(null);
        server.setCommandFactory((channel, command) -> new SimulatedNodeCommand(
                byAddress.get(local(channel.getSession())), command, pumps));
        server.start();
        for (int i = 1; i < config.nodes(); i++) {
            server.acceptor().bind(new InetSocketAddress(address(i), config.port()));
        }
    }

    /** Adds missing demo nodes to the inventory and pins their host keys (they are ours, so no TOFU needed). */
    private void register(Map<InetAddress, KeyPairProvider> hostKeyOf) throws IOException {
        StringBuilder knownHosts = new StringBuilder();
        String[] regions = {"eu-west", "eu-central", "us-east", "ap-south"};
        for (int i = 0; i < config.nodes(); i++) {
            InetAddress address = address(i);
            String name = String.format("demo-%03d", i + 1);
            String region = regions[i % regions.length];
            if (nodes.getByName(name).isEmpty()) {
                nodes.create(new NodeInput(name, address.getHostAddress(), config.port(), "pop", CREDENTIAL, true,
                        region, null, "simulated PoP node (demo fleet)", null, null, null, List.of("demo", region),
                        i % 5 == 0 ? List.of("canary", "provider=sim") : List.of("provider=sim"), null), "demo");
            }
            try {
                KeyPair hostKey = hostKeyOf.get(address).loadKeys(null).iterator().next();
                knownHosts.append('[').append(address.getHostAddress()).append("]:").append(config.port()).append(' ')
                        .append(HostKeys.openSshLine(hostKey.getPublic())).append('\n');
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot read the host key of " + name, e);
            }
        }
        hostKeys.importKnownHosts(knownHosts.toString(), "demo");
    }

    /**
     * Most nodes run; a few show what an operator meets: one stopped, one with port 80 taken, one whose wallet was
     * changed without a restart (the drift view's {@code wallet_process}).
     */
    private void bringUp(Path tool) {
        List<Process> starting = new ArrayList<>();
        for (int i = 0; i < homes.size(); i++) {
            Path home = homes.get(i);
            if (i % 11 == 6) {
                continue;
            }
            if (i % 17 == 7) {
                runQuietly(home, tool.toString(), "set-wallet", STARTED_WALLET);
            }
            if (i % 13 == 3) {
                bash(home, root.resolve("sim/pop-sim").toString(), "fault", home.toString(), "port-80-taken");
            }
            starting.add(launch(home, tool.toString(), "start"));
        }
        awaitAll(starting);
        List<Process> drifting = new ArrayList<>();
        for (int i = 7; i < homes.size(); i += 17) {
            drifting.add(launch(homes.get(i), tool.toString(), "set-wallet", CHANGED_WALLET));
        }
        awaitAll(drifting);
    }

    /**
     * Registers the simulated node binary of {@link #RELEASE} (what {@code pop-sim make-binary} writes, the very
     * binary the nodes on it run), so a rollout can bring the nodes still on {@link #PREVIOUS} up to it. The file
     * stays in {@code <data-dir>/demo/releases} for anyone who wants to register it by hand.
     */
    private void registerRelease(Path sim) throws IOException {
        Path binary = root.resolve("releases/pop-" + RELEASE);
        bash(root, sim.resolve("pop-sim").toString(), "make-binary", binary.toString(), "--version", RELEASE);
        if (releases.find(RELEASE).isPresent()) {
            return;
        }
        try (InputStream in = Files.newInputStream(binary)) {
            releases.register(RELEASE, in, "demo");
        } catch (ProblemException e) {
            // an operator's own upload got there first, or this binary is registered under another version
            LOG.warnf("demo release %s not registered: %s", RELEASE, e.getMessage());
        }
    }

    private static void runQuietly(Path home, String... command) {
        awaitAll(List.of(launch(home, command)));
    }

    private static void awaitAll(List<Process> processes) {
        for (Process process : processes) {
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (server == null) {
            return;
        }
        try {
            server.stop(true);
        } catch (IOException e) {
            LOG.warn("demo fleet server did not stop cleanly", e);
        }
        // No simulated node process outlives the controller; stop them all at once, each takes a moment.
        List<Process> stopping = new ArrayList<>();
        for (Path home : homes) {
            stopping.add(launch(home, root.resolve("pop").toString(), "stop"));
        }
        awaitAll(stopping);
        pumps.shutdownNow();
    }

    private static Path unpackTools(Path root) throws IOException {
        Path sim = Files.createDirectories(root.resolve("sim"));
        copy("node-tool/sim/pop-sim", sim.resolve("pop-sim"));
        copy("node-tool/sim/pop-node-stub", sim.resolve("pop-node-stub"));
        for (String fake : List.of("fake-systemctl", "fake-journalctl", "fake-ss")) {
            copy("node-tool/sim/" + fake, sim.resolve(fake));
        }
        copy("node-tool/pop", root.resolve("pop"));
        return sim;
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = DemoFleet.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the controller jar; rebuild with ./mvnw package");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().setExecutable(true, true);
    }

    private static void bash(Path home, String... command) {
        try {
            launch(home, command).waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Process launch(Path home, String... command) {
        List<String> line = new ArrayList<>(List.of("bash"));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).directory(home.toFile());
        builder.environment().put("POP_ROOT", home.toString());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("PATH", home.toAbsolutePath().resolve("sim/bin") + ":"
                + builder.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InetAddress local(SessionContext session) {
        return ((InetSocketAddress) ((Session) session).getIoSession().getLocalAddress()).getAddress();
    }

    /** 127.0.0.2 upwards; 127.0.0.1 stays the controller's. */
    static InetAddress address(int index) {
        int n = index + 1;
        try {
            return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n / 254), (byte) (n % 254 + 1)});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Exposes the acceptor, so one server listens on every demo node's address. */
    private static final class DemoServer extends SshServer {
        IoAcceptor acceptor() {
            return acceptor;
        }
    }
}
