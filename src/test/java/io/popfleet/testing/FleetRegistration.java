package io.popfleet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.arc.Unremovable;

import io.popfleet.inventory.NodeService;
import io.popfleet.ssh.CredentialService;
import io.popfleet.ssh.HostKeyService;
import io.popfleet.ssh.SshTarget;

import static io.popfleet.testing.NodeBuilder.aNode;

/**
 * Puts a test fleet into the controller's inventory as simulated PoP nodes, the way an operator would: the
 * fleet's key as a credential, each node created on its own address, every host key pinned.
 *
 * <pre>{@code
 * @Inject FleetRegistration registration;
 * ids = registration.register(FLEET, "MyTest", 100, node -> aNode().named("n-" + node.index()).inGroup("eu"));
 * }</pre>
 */
@ApplicationScoped
@Unremovable
public class FleetRegistration {

    @Inject
    NodeService nodes;

    @Inject
    CredentialService credentials;

    @Inject
    HostKeyService hostKeys;

    /**
     * Registers every node of {@code fleet}: stores the fleet's client key as {@code credential}, lays out node
     * {@code i} as a pop-sim node with seed {@code firstSeed + i} (a node laid out already keeps its layout), creates
     * it as {@code describe} says, on its own address with that credential, and pins every node's host key.
     *
     * @param credential the credential's name; every test fleet has its own key, so each test class keeps its own
     * @return the created nodes' ids, in fleet order
     */
    public List<Long> register(SshTestFleet fleet, String credential, int firstSeed,
            Function<FleetNode, NodeBuilder> describe) {
        ensureCredential(fleet, credential);
        List<Long> ids = new ArrayList<>();
        for (FleetNode node : fleet.nodes()) {
            simulate(node, firstSeed + node.index());
            ids.add(nodes.create(describe.apply(node).on(node).withCredential(credential).build(), "test").id());
        }
        hostKeys.importKnownHosts(fleet.knownHosts(), "test");
        return ids;
    }

    /**
     * Creates node {@code index} of {@code fleet} alone, as {@code name}, with the fleet's key stored as
     * {@link SshTestFleet#CREDENTIAL}, and neither a pop-sim layout nor a pinned host key (for tests of pinning).
     *
     * @return the node as the SSH engine reaches it
     */
    public SshTarget registerNode(SshTestFleet fleet, int index, String name) {
        ensureCredential(fleet, SshTestFleet.CREDENTIAL);
        long id = nodes.create(aNode().named(name).on(fleet.node(index)).withCredential(SshTestFleet.CREDENTIAL)
                .build(), "test").id();
        return fleet.target(index, id, name);
    }

    /** Stores the fleet's client key under {@code name}, unless an earlier test of the class did. */
    private void ensureCredential(SshTestFleet fleet, String name) {
        if (credentials.find(name).isEmpty()) {
            credentials.importPrivateKey(name, fleet.clientKeyOpenSsh(null), null, "test");
        }
    }

    private static void simulate(FleetNode node, int seed) {
        try {
            SimulatedNodes.simulate(node, seed);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while laying out " + node.host(), e);
        }
    }
}
