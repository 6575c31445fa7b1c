package io.popfleet.rollout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;
import io.popfleet.database.SqlRow;
import io.popfleet.ops.OperationCall;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.TargetFinished;

/**
 * Moves every open rollout one step per tick, once per cluster ({@link ClusterJob#ROLLOUT_TICK}), each tick one
 * transaction: read where each node stands (its run targets' outcomes), move it on, start what the batch, the
 * per-region limits and the budget allow. Every node's update, health check and rollback is a run target, planned
 * in the same transaction that moves the node, so a controller killed at any point leaves nothing done twice or
 * skipped: the next tick, on any controller, continues from the rows.
 */
@ApplicationScoped
public class RolloutEngine {

    private static final Logger LOG = Logger.getLogger(RolloutEngine.class);
    private static final String FINISHED_TARGET = "t.state in ('ok', 'failed', 'cancelled', 'orphaned')";
    /**
     * Failures after which a rollback cannot help: the node was never reached, or its state is unknown, or its
     * installed node tool is missing (nothing ran, and a rollback would call the same missing tool).
     */
    private static final List<String> NO_REVERT = List.of("unreachable", "auth_failed", "hostkey_mismatch",
            "not_allowed", "not_found", "cancelled", "orphaned", "tool_missing");
    /**
     * Past the healthy deadline, how much longer an update whose outcome is unknown may take before a node still not
     * on the target version is failed: the node tool also replaces the binary and restarts the service.
     */
    private static final int VERIFY_GRACE_SECONDS = 30;
    /** Between two reads of a node whose update's outcome is not known yet. */
    private static final int RECHECK_SECONDS = 3;

    @Inject
    EntityManager em;

    @Inject
    ClusterJobs jobs;

    @Inject
    RunPlanner planner;

    @Inject
    OperationCatalog catalog;

    @Inject
    RolloutService rollouts;

    @Inject
    ShipQueue shipping;

    @Inject
    ReleaseService releases;

    @Inject
    RolloutConfig config;

    private final AtomicBoolean tickWanted = new AtomicBoolean();
    private final ExecutorService ticker = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "popfleet-rollout-tick");
        thread.setDaemon(true);
        return thread;
    });

    /** A rollout node's update, health check or rollback ended: its next step need not wait for the timer. */
    void onTargetFinished(@Observes(during = TransactionPhase.AFTER_SUCCESS) TargetFinished finished) {
        if (finished.operation().equals("update") || finished.operation().equals("health")) {
            tickSoon();
        }
    }

    void onShipped(@Observes ShipQueue.Shipped shipped) {
        tickSoon();
    }

    /** One tick on the engine's own thread; requests made while one waits are folded into it. */
    void tickSoon() {
        if (tickWanted.compareAndSet(false, true)) {
            ticker.execute(() -> {
                tickWanted.set(false);
                scheduledTick();
            });
        }
    }

    void stop(@Observes ShutdownEvent event) {
        ticker.shutdownNow();
    }

    @Scheduled(every = "${popfleet.rollout.tick-interval:2s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledTick() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("rollout tick failed; the next one tries again", e);
        }
    }

    /** One step of every open rollout; skipped when another controller is ticking. */
    public void tick() {
        List<ShipQueue.Order> orders = QuarkusTransaction.requiringNew().call(() -> {
            if (!jobs.claimInTransaction(ClusterJob.ROLLOUT_TICK)) {
                return List.<ShipQueue.Order>of();
            }
            List<ShipQueue.Order> ship = new ArrayList<>();
            @SuppressWarnings("unchecked")
            List<Number> open = em.createNativeQuery("select id from rollout where finished_at is null order by id")
                    .getResultList();
            for (Number id : open) {
                step(id.longValue(), ship);
            }
            return ship;
        });
        shipping.submit(orders);
    }

    private void step(long id, List<ShipQueue.Order> ship) {
        SqlRow rollout = SqlRow.single(SqlRow.query(em, "select r.*, r.strategy::text as strategy_json"
                + " from rollout r where r.id = :id").setParameter("id", id));
        StrategySpec spec = rollouts.read(rollout.text("strategy_json"));
        RolloutStrategy strategy = spec.toStrategy();
        String version = rollout.text("target_version");
        RolloutState state = RolloutState.fromDb(rollout.text("state"));
        Step step = new Step(id, version, strategy);
        step.advanceUpdating();
        step.advanceChecking();
        step.advanceReverting();
        step.advanceSoakChecks();
        step.startChecks();
        step.startSoakChecks();
        step.startUpdates(state);
        step.startReverts();
        step.reshipStale(ship);

        int batch = rollout.integer("current_batch");
        boolean canary = strategy.canary() != null;
        int failures = count(id, "state in (" + NodeStep.sqlList(NodeStep.FAILURES) + ")");
        if (!state.isFinal()) {
            if (canary && count(id, "batch = 0 and state in (" + NodeStep.sqlList(NodeStep.FAILURES) + ")") > 0) {
                state = stop(id, state, "canary", "the canary failed: "
                        + count(id, "batch = 0 and state in (" + NodeStep.sqlList(NodeStep.FAILURES) + ")")
                        + " of its nodes did not pass the health gate");
            } else if (failures > rollout.integer("allowed_failures")) {
                state = stop(id, state, "budget", "failure budget exceeded: " + failures
                        + " nodes failed, " + rollout.integer("allowed_failures") + " allowed");
            } else if (spec.progressDeadline() != null && rollout.instant("created_at").plus(spec
                    .progressDeadline()).isBefore(java.time.Instant.now())) {
                state = stop(id, state, "deadline", "progress deadline: not done " + spec.progressDeadline()
                        .toSeconds() + " s after it started (" + count(id, "state in ('healthy')") + " of "
                        + rollout.integer("eligible") + " nodes updated)");
            }
        }
        boolean inWindow = spec.maintenanceWindow() == null || spec.maintenanceWindow().contains(
                java.time.Instant.now());
        if (state == RolloutState.RUNNING) {
            if (count(id, "batch = " + batch + " and state not in ('healthy', 'failed', 'reverted', 'cancelled')")
                    == 0) {
                if (step.startSoak(batch)) {
                    LOG.infof("rollout %d: batch %d soaks for %d s", id, batch, strategy.soak().toSeconds());
                } else if (batch + 1 >= rollout.integer("batches")) {
                    state = moveTo(id, state, RolloutState.FINISHED, null);
                } else {
                    em.createNativeQuery("update rollout set current_batch = ?1, next_batch_at = now()"
                            + " + make_interval(secs => ?2), updated_at = now() where id = ?3")
                            .setParameter(1, batch + 1).setParameter(2, strategy.pauseBetweenBatches().toSeconds())
                            .setParameter(3, id).executeUpdate();
                    if (batch == 0 && canary && strategy.promoteAfterCanary()) {
                        state = moveTo(id, state, RolloutState.AWAITING_PROMOTION, "the canary is healthy; waiting"
                                + " for an operator to promote");
                    }
                }
            } else if ((rollout.instant("next_batch_at") == null
                    || !rollout.instant("next_batch_at").isAfter(java.time.Instant.now())) && inWindow) {
                step.dispatch(batch, ship);
            }
        }
        if (state.stagesAhead() && config.stageAhead() && inWindow) {
            step.stageAhead(batch, ship);
        }
        if (state.isFinal() && count(id, "state in (" + NodeStep.sqlList(NodeStep.UNFINISHED) + ")") == 0) {
            RolloutService.cancelPending(em, id);
            em.createNativeQuery("update rollout_node set holds = false where rollout_id = ?1").setParameter(1, id)
                    .executeUpdate();
            em.createNativeQuery("update rollout set finished_at = now(), updated_at = now() where id = ?1")
                    .setParameter(1, id).executeUpdate();
        }
    }

    /** Who starts a rollout's runs: the one actor whose mutations its held nodes accept. */
    static String actor(long rollout) {
        return "rollout-" + rollout;
    }

    /** The rollout stops on its own: failed, with why, which the alert {@code rollout_stopped} reports. */
    private RolloutState stop(long id, RolloutState from, String by, String reason) {
        RolloutState to = moveTo(id, from, RolloutState.FAILED, reason);
        if (to != from) {
            em.createNativeQuery("update rollout set stopped_by = ?1 where id = ?2").setParameter(1, by)
                    .setParameter(2, id).executeUpdate();
        }
        return to;
    }

    private RolloutState moveTo(long id, RolloutState from, RolloutState to, String reason) {
        if (!from.canMoveTo(to)) {
            return from;
        }
        em.createNativeQuery("update rollout set state = ?1, reason = ?2, updated_at = now() where id = ?3")
                .setParameter(1, to.dbValue()).setParameter(2, reason).setParameter(3, id).executeUpdate();
        if (to.isFinal()) {
            RolloutService.cancelPending(em, id);
        }
        LOG.infof("rollout %d: %s -> %s%s", id, from.dbValue(), to.dbValue(), reason == null ? "" : " (" + reason
                + ")");
        return to;
    }

    private int count(long id, String where) {
        return ((Number) em.createNativeQuery("select count(*) from rollout_node where rollout_id = ?1 and " + where)
                .setParameter(1, id).getSingleResult()).intValue();
    }

    /** One rollout's moves within one tick. */
    private final class Step {

        private final long id;
        private final String version;
        private final RolloutStrategy strategy;
        private final String actor;
        private final List<String> reverts = new ArrayList<>();

        Step(long id, String version, RolloutStrategy strategy) {
            this.id = id;
            this.version = version;
            this.strategy = strategy;
            this.actor = actor(id);
        }

        /** The update's outcome: on the target version (then the gate), rolled back by the node, or failed. */
        void advanceUpdating() {
            for (SqlRow row : finished(NodeStep.UPDATING, "t.data->>'installed_version' as installed")) {
                long node = row.whole("node_id");
                if ("ok".equals(row.text("target_state"))) {
                    if (version.equals(row.text("installed"))) {
                        if (strategy.minHealthyTime().isZero()) {
                            set(node, NodeStep.HEALTHY, null);
                        } else {
                            em.createNativeQuery("update rollout_node set state = 'gating', gate_until = now()"
                                    + " + make_interval(secs => ?3), updated_at = now() where rollout_id = ?1"
                                    + " and node_id = ?2").setParameter(1, id).setParameter(2, node)
                                    .setParameter(3, strategy.minHealthyTime().toSeconds()).executeUpdate();
                        }
                    } else {
                        fail(row, "reports " + row.text("installed") + " after the update, not " + version, true);
                    }
                } else if ("rolled_back".equals(row.text("error_code"))) {
                    set(node, NodeStep.REVERTED, "the node rolled itself back: " + row.text("failure_message"));
                } else if ("orphaned".equals(row.text("failure_kind"))) {
                    verify(node);
                } else {
                    fail(row, describe(row), !NO_REVERT.contains(String.valueOf(row.text("failure_kind"))));
                }
            }
        }

        /**
         * The health check after the minimum healthy time: still healthy, on the target version. A check that
         * verifies an orphaned update ({@code verify_until} set) reads the node until it is on the target version or
         * the time is up; an orphaned check (a read) is simply made again.
         */
        void advanceChecking() {
            for (SqlRow row : finished(NodeStep.CHECKING, "t.data->>'healthy' as healthy,"
                    + " t.data->>'binary_version' as running, rn.verify_until is not null as verifying,"
                    + " coalesce(rn.verify_until > now(), false) as may_wait")) {
                long node = row.whole("node_id");
                boolean ok = "ok".equals(row.text("target_state"));
                boolean onTarget = ok && version.equals(row.text("running"));
                boolean verifying = Boolean.TRUE.equals(row.flag("verifying"));
                if (onTarget && "true".equals(row.text("healthy"))) {
                    if (verifying && !strategy.minHealthyTime().isZero()) {
                        gate(node, strategy.minHealthyTime().toSeconds(), false);
                    } else {
                        set(node, NodeStep.HEALTHY, null);
                    }
                } else if ("orphaned".equals(row.text("failure_kind"))
                        || verifying && Boolean.TRUE.equals(row.flag("may_wait"))) {
                    // not there yet, or not healthy yet: the orphaned update may still be at work on the node
                    gate(node, RECHECK_SECONDS, verifying);
                } else if (verifying && ok && !onTarget) {
                    // The node tool rolled back, the update never reached the node, or it still works: which one
                    // is unknown, so it is neither updated again nor rolled back. An operator looks.
                    set(node, NodeStep.FAILED, "the update's outcome is unknown (its controller stopped while it"
                            + " ran) and the node still runs " + row.text("running") + ", not " + version
                            + "; not updated again: see the node's log");
                } else if (ok) {
                    fail(row, "not healthy on " + version + " after " + strategy.minHealthyTime().toSeconds()
                            + " s (healthy " + row.text("healthy") + ", runs " + row.text("running") + ")", true);
                } else {
                    fail(row, "health check: " + describe(row),
                            !NO_REVERT.contains(String.valueOf(row.text("failure_kind"))));
                }
            }
        }

        /**
         * The node's update was orphaned: its command left for the node and nobody heard back. Running it again
         * could update the node twice, so the node is read instead (a health check, as after the minimum healthy
         * time), until the update's healthy deadline and a grace period have passed since it started.
         */
        private void verify(long node) {
            LOG.infof("rollout %d: the update of node %d was orphaned; reading the node instead of updating it again",
                    id, node);
            em.createNativeQuery("update rollout_node rn set state = 'gating', gate_until = now(),"
                    + " verify_until = coalesce((select t.started_at from run_target t where t.run_id = rn.run_id"
                    + " and t.node_id = rn.node_id), now()) + make_interval(secs => ?3), updated_at = now()"
                    + " where rollout_id = ?1 and node_id = ?2").setParameter(1, id).setParameter(2, node)
                    .setParameter(3, strategy.healthyDeadline().toSeconds() + VERIFY_GRACE_SECONDS).executeUpdate();
        }

        /** Back to gating: the next health check is due {@code seconds} from now. */
        private void gate(long node, long seconds, boolean keepVerifying) {
            em.createNativeQuery("update rollout_node set state = 'gating', gate_until = now()"
                    + " + make_interval(secs => ?3), verify_until = case when ?4 then verify_until end,"
                    + " updated_at = now() where rollout_id = ?1 and node_id = ?2").setParameter(1, id)
                    .setParameter(2, node).setParameter(3, seconds).setParameter(4, keepVerifying).executeUpdate();
        }

        void advanceReverting() {
            for (SqlRow row : finished(NodeStep.REVERTING, "rn.failure, t.data->>'installed_version' as installed")) {
                if ("ok".equals(row.text("target_state"))) {
                    set(row.whole("node_id"), NodeStep.REVERTED, row.text("failure") + "; rolled back");
                } else {
                    set(row.whole("node_id"), NodeStep.FAILED, row.text("failure") + "; the rollback failed too: "
                            + describe(row));
                }
            }
        }

        /**
         * The batch is done: with a soak, its updated nodes are watched for that long before the next batch starts.
         * A batch soaks once ({@code soak_until} stays set); whether one started is the answer.
         */
        boolean startSoak(int batch) {
            if (strategy.soak().isZero()) {
                return false;
            }
            return em.createNativeQuery("update rollout_node set state = 'soaking', soak_until = now()"
                    + " + make_interval(secs => ?3), updated_at = now() where rollout_id = ?1 and batch = ?2"
                    + " and state = 'healthy' and soak_until is null").setParameter(1, id).setParameter(2, batch)
                    .setParameter(3, strategy.soak().toSeconds()).executeUpdate() > 0;
        }

        /**
         * At the soak's end each node is read through its own {@code status} (not the poll's last answer, whose age
         * depends on the poll's timing): monitoring records that answer as it records every status answer, in the
         * same transaction, so what the gate compares is what the node's history shows.
         */
        void startSoakChecks() {
            List<SqlRow> due = SqlRow.list(SqlRow.query(em, "select node_id, node_name from rollout_node"
                    + " where rollout_id = :id and state = 'soaking' and soak_until <= now()").setParameter("id", id));
            plan(due, catalog.call("status"), NodeStep.SOAK_CHECKING, "soak status read");
        }

        /** The soak's verdict: health and reputation no further below the figures before the update than allowed. */
        void advanceSoakChecks() {
            for (SqlRow row : finished(NodeStep.SOAK_CHECKING, "rn.pre_state, rn.pre_reputation, rn.pre_uptime,"
                    + " rn.pre_historical, rn.pre_egress, s.state as now_state, s.reputation as now_reputation,"
                    + " s.uptime_score as now_uptime, s.historical_score as now_historical,"
                    + " s.egress_score as now_egress, s.binary_version as now_version",
                    " left join node_status s on s.node_id = rn.node_id")) {
                long node = row.whole("node_id");
                if (!"ok".equals(row.text("target_state"))) {
                    fail(row, "soak: status read " + describe(row),
                            !NO_REVERT.contains(String.valueOf(row.text("failure_kind"))));
                    continue;
                }
                SoakGate.Figures before = new SoakGate.Figures(row.text("pre_state"), row.real("pre_reputation"),
                        row.real("pre_uptime"), row.real("pre_historical"), row.real("pre_egress"));
                SoakGate.Figures after = new SoakGate.Figures(row.text("now_state"), row.real("now_reputation"),
                        row.real("now_uptime"), row.real("now_historical"), row.real("now_egress"));
                String drop = SoakGate.drop(before, after, strategy.soakMaxDrop());
                if (drop == null) {
                    set(node, NodeStep.HEALTHY, null);
                } else {
                    fail(row, "soak: " + drop + " after " + strategy.soak().toSeconds() + " s on " + version, true);
                }
            }
        }

        /** Nodes past their minimum healthy time get one health check, all in one run. */
        void startChecks() {
            List<SqlRow> due = SqlRow.list(SqlRow.query(em, "select node_id, node_name from rollout_node"
                    + " where rollout_id = :id and state = 'gating' and gate_until <= now()").setParameter("id", id));
            plan(due, catalog.call("health"), NodeStep.CHECKING, "health check");
        }

        /**
         * Nodes holding the release get their update, all in one run; once the rollout has stopped or was aborted,
         * a node shipped meanwhile is not updated: its update had not started.
         */
        void startUpdates(RolloutState state) {
            List<SqlRow> shipped = SqlRow.list(SqlRow.query(em, "select node_id, node_name from rollout_node"
                    + " where rollout_id = :id and state = 'shipped' order by position").setParameter("id", id));
            if (state.isFinal()) {
                shipped.forEach(row -> set(row.whole("node_id"), NodeStep.CANCELLED, "the rollout " + state.dbValue()
                        + " before this node's update started"));
                return;
            }
            Release release = releases.get(version);
            Map<String, String> options = new LinkedHashMap<>();
            options.put("shipped", null);
            options.put("sha256", release.sha256());
            options.put("version", version);
            options.put("timeout", Long.toString(strategy.healthyDeadline().toSeconds()));
            plan(shipped, catalog.call("update", List.of(), options), NodeStep.UPDATING, "update");
        }

        void startReverts() {
            if (reverts.isEmpty()) {
                return;
            }
            List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select node_id, node_name from rollout_node"
                    + " where rollout_id = :id and node_name in (:names)").setParameter("id", id)
                    .setParameter("names", reverts));
            Map<String, String> options = new LinkedHashMap<>();
            options.put("rollback", null);
            options.put("timeout", Long.toString(strategy.healthyDeadline().toSeconds()));
            plan(rows, catalog.call("update", List.of(), options), NodeStep.REVERTING, "rollback");
        }

        /** Nodes left shipping by a controller that stopped: shipped again (harmless, content-addressed). */
        void reshipStale(List<ShipQueue.Order> ship) {
            for (SqlRow row : SqlRow.list(SqlRow.query(em, "select node_id from rollout_node where rollout_id = :id"
                    + " and state = 'shipping' and updated_at < now() - make_interval(secs => :lease)")
                    .setParameter("id", id).setParameter("lease", config.shipLeaseSeconds()))) {
                long node = row.whole("node_id");
                if (!shipping.holds(id, node, version)) {
                    set(node, NodeStep.SHIPPING, null);
                    ship.add(new ShipQueue.Order(id, node, version));
                }
            }
        }

        /**
         * Orders the release ahead to the nodes of this batch and the next that wait for their turn, each once: they
         * are marked as ordered in this tick's transaction, so no later tick, here or on another controller, orders
         * them again.
         */
        void stageAhead(int batch, List<ShipQueue.Order> ship) {
            SqlRow.list(SqlRow.query(em, "update rollout_node set staged_ahead = false where rollout_id = :id"
                    + " and state = 'pending' and staged_ahead is null and batch <= :next returning node_id, position")
                    .setParameter("id", id).setParameter("next", batch + 1)).stream()
                    .sorted(java.util.Comparator.comparing((SqlRow row) -> row.integer("position")))
                    .forEach(row -> ship.add(ShipQueue.Order.ahead(id, row.whole("node_id"), version)));
        }

        /** Starts the batch's waiting nodes the per-region limits allow now. */
        void dispatch(int batch, List<ShipQueue.Order> ship) {
            List<RolloutCandidate> waiting = SqlRow.list(SqlRow.query(em, "select node_id, node_name, region,"
                    + " counts_healthy, previous_version from rollout_node where rollout_id = :id and batch = :batch"
                    + " and state = 'pending' order by position").setParameter("id", id).setParameter("batch", batch))
                    .stream().map(row -> new RolloutCandidate(row.whole("node_id"), row.text("node_name"),
                            row.text("region"), true, Boolean.TRUE.equals(row.flag("counts_healthy")) ? "up"
                                    : "degraded", row.text("previous_version"))).toList();
            if (waiting.isEmpty()) {
                return;
            }
            Map<String, Integer> inFlight = new HashMap<>();
            SqlRow.list(SqlRow.query(em, "select region, count(*) as n from rollout_node where rollout_id = :id"
                    + " and state in (" + NodeStep.sqlList(NodeStep.IN_FLIGHT) + ") group by region")
                    .setParameter("id", id)).forEach(row -> inFlight.put(row.text("region"),
                            row.whole("n").intValue()));
            Map<String, Integer> healthy = new HashMap<>();
            SqlRow.list(SqlRow.query(em, "select coalesce(n.region, '') as region, count(*) as n from node n"
                    + " join node_status s on s.node_id = n.id where s.state = 'up' and n.enabled and not exists"
                    + " (select 1 from rollout_node h where h.node_id = n.id and h.state in ("
                    + NodeStep.sqlList(NodeStep.IN_FLIGHT) + ")) group by 1"))
                    .forEach(row -> healthy.put(row.text("region"), row.whole("n").intValue()));
            for (RolloutCandidate node : DispatchGate.startable(strategy, waiting, inFlight, healthy)) {
                set(node.nodeId(), NodeStep.SHIPPING, null);
                remember(node.nodeId());
                ship.add(new ShipQueue.Order(id, node.nodeId(), version));
            }
        }

        /**
         * The node's health and reputation as monitoring last recorded them, kept as it starts: what a soak compares
         * with after the update (a node never polled has none, and its soak compares nothing it lacks).
         */
        private void remember(long node) {
            em.createNativeQuery("update rollout_node rn set pre_state = s.state, pre_reputation = s.reputation,"
                    + " pre_uptime = s.uptime_score, pre_historical = s.historical_score, pre_egress = s.egress_score"
                    + " from node_status s where s.node_id = rn.node_id and rn.rollout_id = ?1 and rn.node_id = ?2")
                    .setParameter(1, id).setParameter(2, node).executeUpdate();
        }

        private List<SqlRow> finished(NodeStep step, String columns) {
            return finished(step, columns, "");
        }

        private List<SqlRow> finished(NodeStep step, String columns, String join) {
            return SqlRow.list(SqlRow.query(em, "select rn.node_id, rn.node_name, t.state as target_state,"
                    + " t.failure_kind, t.failure_message, t.data->>'error_code' as error_code, " + columns
                    + " from rollout_node rn join run_target t on t.run_id = rn.run_id and t.node_id = rn.node_id"
                    + join + " where rn.rollout_id = :id and rn.state = :step and " + FINISHED_TARGET)
                    .setParameter("id", id).setParameter("step", step.dbValue()));
        }

        private void fail(SqlRow row, String why, boolean revertable) {
            if (revertable && strategy.autoRevert()) {
                em.createNativeQuery("update rollout_node set failure = ?3, updated_at = now() where rollout_id = ?1"
                        + " and node_id = ?2").setParameter(1, id).setParameter(2, row.whole("node_id"))
                        .setParameter(3, why).executeUpdate();
                reverts.add(row.text("node_name"));
            } else {
                set(row.whole("node_id"), NodeStep.FAILED, why);
            }
        }

        /**
         * One run for these nodes, planned in this tick's transaction with the nodes' move to {@code next}. A node
         * disabled since it was selected is cancelled instead (the planner runs on enabled nodes only).
         */
        private void plan(List<SqlRow> nodes, OperationCall call, NodeStep next, String what) {
            if (nodes.isEmpty()) {
                return;
            }
            List<String> names = nodes.stream().map(row -> row.text("node_name")).toList();
            @SuppressWarnings("unchecked")
            List<String> enabled = em.createNativeQuery("select name from node where name in (:names) and enabled")
                    .setParameter("names", names).getResultList();
            for (SqlRow row : nodes) {
                if (!enabled.contains(row.text("node_name"))) {
                    set(row.whole("node_id"), NodeStep.CANCELLED, "disabled during the rollout; its " + what
                            + " was not started");
                }
            }
            if (enabled.isEmpty()) {
                return;
            }
            Run run = planner.plan(call, NodeSelection.named(enabled), actor);
            em.createNativeQuery("update rollout_node set state = ?1, run_id = ?2, updated_at = now()"
                    + " where rollout_id = ?3 and node_name in (?4)").setParameter(1, next.dbValue())
                    .setParameter(2, run.id).setParameter(3, id).setParameter(4, enabled).executeUpdate();
        }

        private void set(long node, NodeStep step, String failure) {
            em.createNativeQuery("update rollout_node set state = ?3, failure = coalesce(?4, failure),"
                    + " updated_at = now() where rollout_id = ?1 and node_id = ?2").setParameter(1, id)
                    .setParameter(2, node).setParameter(3, step.dbValue()).setParameter(4, failure).executeUpdate();
        }

        private String describe(SqlRow row) {
            String code = row.text("error_code");
            return row.text("target_state") + (row.text("failure_kind") == null ? "" : " (" + row.text("failure_kind")
                    + (code == null ? "" : ", " + code) + ")") + (row.text("failure_message") == null ? ""
                            : ": " + row.text("failure_message"));
        }
    }
}
