package io.popfleet.rollout;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;

import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeEndpoints;
import io.popfleet.runs.LoopbackAddresses;
import io.popfleet.runs.RunsConfig;
import io.popfleet.ssh.ExecLimits;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * Ships releases to the nodes the engine's tick moved to {@code shipping}, at most
 * {@code popfleet.rollout.ship-concurrency} at a time, and records each outcome as one row update
 * ({@code shipped}, or {@code failed}: an unreachable node counts against the budget). What this controller ships
 * lives only in memory: if it dies, the tick ships those nodes again after the lease. Orders ahead of a node's turn
 * ({@link RolloutConfig#stageAhead}) take a slot only when no order on its turn waits, and record no outcome but
 * {@code staged_ahead}: the node's own turn ships again (a quick check when the file is there) and counts.
 */
@ApplicationScoped
public class ShipQueue {

    private static final Logger LOG = Logger.getLogger(ShipQueue.class);

    /** Fired when a shipment's outcome is stored, so the engine can take the node's next step at once. */
    public record Shipped(long rolloutId) {
    }

    /**
     * One node to ship one release to: on its turn (the node moves on when it is stored), or {@code ahead} of it
     * (only {@code staged_ahead} is recorded, and only while the node still waits and the rollout goes on).
     */
    public record Order(long rolloutId, long nodeId, String version, boolean ahead) {

        public Order(long rolloutId, long nodeId, String version) {
            this(rolloutId, nodeId, version, false);
        }

        static Order ahead(long rolloutId, long nodeId, String version) {
            return new Order(rolloutId, nodeId, version, true);
        }

        Order asAhead() {
            return ahead(rolloutId, nodeId, version);
        }
    }

    @Inject
    EntityManager em;

    @Inject
    SshEngine engine;

    @Inject
    ReleaseService releases;

    @Inject
    RolloutConfig config;

    @Inject
    RunsConfig runs;

    @Inject
    Event<Shipped> shipped;

    private final Queue<Order> queue = new ConcurrentLinkedQueue<>();
    /** Orders ahead of a node's turn: served only when no node whose turn it is waits for a slot. */
    private final Queue<Order> aheadQueue = new ConcurrentLinkedQueue<>();
    private final Set<Order> held = ConcurrentHashMap.newKeySet();
    /** Orders on their turn that wait for the same node's order ahead, on its way: then it finds the file there. */
    private final Map<Order, Order> afterAhead = new HashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, byte[]> contents = new ConcurrentHashMap<>();
    private final ExecutorService writers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "popfleet-rollout-ship");
        thread.setDaemon(true);
        return thread;
    });

    /** Queues orders not already held here, and starts as many as the limit allows. */
    public void submit(Iterable<Order> orders) {
        enqueue(orders);
        drain();
    }

    /**
     * A node's turn never ships beside its own order ahead (both would find the file missing and send it): an
     * order ahead not yet started gives way to it, and one on its way is waited for.
     */
    private synchronized void enqueue(Iterable<Order> orders) {
        for (Order order : orders) {
            if (!held.add(order)) {
                continue;
            }
            Order ahead = order.asAhead();
            if (order.ahead()) {
                aheadQueue.add(order);
            } else if (!held.contains(ahead)) {
                queue.add(order);
            } else if (aheadQueue.remove(ahead)) {
                held.remove(ahead);
                queue.add(order);
            } else {
                afterAhead.put(ahead, order);
            }
        }
    }

    private synchronized void release(Order order) {
        held.remove(order);
        Order next = afterAhead.remove(order);
        if (next != null) {
            queue.add(next);
        }
    }

    /** Whether this controller is shipping (or about to ship) that node now. */
    public boolean holds(long rolloutId, long nodeId, String version) {
        return held.contains(new Order(rolloutId, nodeId, version));
    }

    private void drain() {
        while (active.get() < config.shipConcurrency()) {
            Order order = queue.poll();
            if (order == null) {
                order = aheadQueue.poll();
            }
            if (order == null) {
                return;
            }
            active.incrementAndGet();
            try {
                launch(order);
            } catch (RuntimeException e) {
                LOG.errorf(e, "shipping to node %d failed in the controller", order.nodeId());
                finish(order, "the controller failed to ship the release (" + e.getClass().getSimpleName() + ")");
            }
        }
    }

    private void launch(Order order) {
        if (order.ahead() && !QuarkusTransaction.requiringNew().call(() -> stillWaiting(order))) {
            finish(order, "no longer waiting");
            return;
        }
        Optional<SshTarget> target = QuarkusTransaction.requiringNew().call(() -> Node.<Node>findByIdOptional(
                order.nodeId()).flatMap(NodeEndpoints::of));
        if (target.isEmpty()) {
            finish(order, "the node left the inventory");
            return;
        }
        if (runs.loopbackOnly() && !LoopbackAddresses.isLoopbackOnly(target.get())) {
            finish(order, "this controller only contacts loopback addresses; " + target.get().host()
                    + " was not contacted");
            return;
        }
        Release release = releases.get(order.version());
        byte[] content = contents.computeIfAbsent(release.sha256(), sha -> releases.content(release));
        ExecLimits limits = engine.settings().limits().withExecTimeout(Duration.ofSeconds(runs.execTimeoutSeconds()));
        new ReleaseShipper(engine).ship(target.get(), release, content, limits).whenCompleteAsync(
                (shipment, error) -> finish(order, error != null ? "shipping failed in the controller: "
                        + error.getClass().getSimpleName() : shipment.ok() ? null : shipment.problem()), writers);
    }

    /** An order ahead is carried out only while its node waits for its turn and the rollout still stages ahead. */
    private boolean stillWaiting(Order order) {
        @SuppressWarnings("unchecked")
        List<String> rollout = em.createNativeQuery("select r.state from rollout_node n join rollout r"
                + " on r.id = n.rollout_id where n.rollout_id = ?1 and n.node_id = ?2 and n.state = 'pending'")
                .setParameter(1, order.rolloutId()).setParameter(2, order.nodeId()).getResultList();
        return !rollout.isEmpty() && RolloutState.fromDb(rollout.get(0)).stagesAhead();
    }

    /** @param problem null when the node holds the release now */
    private void finish(Order order, String problem) {
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (order.ahead()) {
                    // A node not staged ahead is shipped on its turn, where a failure counts: nothing to record.
                    if (problem == null) {
                        em.createNativeQuery("update rollout_node set staged_ahead = true where rollout_id = ?1"
                                + " and node_id = ?2").setParameter(1, order.rolloutId())
                                .setParameter(2, order.nodeId()).executeUpdate();
                    } else {
                        LOG.debugf("release not staged ahead on node %d (%s); it is shipped on its turn",
                                order.nodeId(), problem);
                    }
                } else if (problem == null) {
                    em.createNativeQuery("update rollout_node set state = 'shipped', updated_at = now()"
                            + " where rollout_id = ?1 and node_id = ?2 and state = 'shipping'")
                            .setParameter(1, order.rolloutId()).setParameter(2, order.nodeId()).executeUpdate();
                } else {
                    em.createNativeQuery("update rollout_node set state = 'failed', failure = ?3, updated_at = now()"
                            + " where rollout_id = ?1 and node_id = ?2 and state = 'shipping'")
                            .setParameter(1, order.rolloutId()).setParameter(2, order.nodeId())
                            .setParameter(3, problem).executeUpdate();
                }
            });
        } catch (RuntimeException e) {
            LOG.errorf(e, "cannot record the shipment to node %d; the tick ships it again after the lease",
                    order.nodeId());
        } finally {
            release(order);
            active.decrementAndGet();
        }
        writers.execute(this::drain);
        if (!order.ahead()) {
            shipped.fire(new Shipped(order.rolloutId()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        writers.shutdown();
    }
}
