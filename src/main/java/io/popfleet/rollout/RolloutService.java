package io.popfleet.rollout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.Page;
import io.popfleet.api.Paging;
import io.popfleet.database.SqlRow;
import io.popfleet.inventory.NodeFilter;
import io.popfleet.security.AuditLog;

/** Previews, starts, lists and controls rollouts; the engine ({@link RolloutEngine}) moves them along. */
@ApplicationScoped
public class RolloutService {

    @Inject
    EntityManager em;

    @Inject
    ReleaseService releases;

    @Inject
    RolloutConfig config;

    @Inject
    AuditLog audit;

    @Inject
    ObjectMapper json;

    @Inject
    StrategyStore strategies;

    @Transactional
    public RolloutPreview preview(RolloutRequest named) {
        RolloutRequest request = strategies.resolve(named);
        Release release = releases.get(request.version());
        RolloutStrategy strategy = request.parsedStrategy();
        return RolloutPreview.of(release, request.selection().describe(), request.spec(), plan(release, strategy,
                request, Map.of()));
    }

    /**
     * Starts a rollout exactly as its preview says: one row per selected node with its batch (or its reason to be
     * skipped), in one transaction. A node another open rollout holds is skipped in the preview; one taken by a
     * rollout started meanwhile makes this one fail (409) and nothing is stored.
     */
    @Transactional
    public RolloutView start(RolloutRequest request, String actor) {
        return start(strategies.resolve(request), actor, Map.of(), null);
    }

    /**
     * "Roll back the updated nodes": a new rollout, with the same strategy, putting the nodes this (ended) one
     * updated back on the version they ran before. Their last poll may predate the update, so the plan takes the
     * version from this rollout, not from the poll.
     */
    @Transactional
    public RolloutView rollBack(long id, String actor) {
        RolloutView rollout = get(id);
        if (rollout.finishedAt() == null) {
            throw new ConflictProblem("rollout-open", "rollout " + id + " is " + rollout.state() + " and holds its"
                    + " nodes; let it finish or abort it, then roll its nodes back");
        }
        List<SqlRow> updated = SqlRow.list(SqlRow.query(em, "select node_id, node_name, previous_version from"
                + " rollout_node where rollout_id = :id and state = 'healthy' order by position").setParameter("id",
                        id));
        List<String> versions = updated.stream().map(row -> row.text("previous_version"))
                .filter(java.util.Objects::nonNull).distinct().toList();
        List<String> unknown = updated.stream().filter(row -> row.text("previous_version") == null)
                .map(row -> row.text("node_name")).toList();
        if (updated.isEmpty() || versions.isEmpty()) {
            throw new BadRequestProblem("nothing-to-roll-back", "rollout " + id + " updated no node whose previous"
                    + " version is known; nothing was started");
        }
        if (versions.size() > 1) {
            throw new ConflictProblem("several-previous-versions", "the nodes of rollout " + id + " ran "
                    + String.join(", ", versions) + " before; start one rollout per version from the wizard");
        }
        String previous = versions.get(0);
        if (releases.find(previous).isEmpty()) {
            throw new ConflictProblem("release-missing", "the nodes ran " + previous + " before rollout " + id
                    + ", which is not in the release registry; register it (POST /api/v1/releases?version="
                    + previous + ") and roll back again");
        }
        List<String> names = updated.stream().filter(row -> row.text("previous_version") != null)
                .map(row -> row.text("node_name")).toList();
        Map<Long, String> onTarget = new java.util.HashMap<>();
        updated.forEach(row -> onTarget.put(row.whole("node_id"), rollout.version()));
        RolloutView back = start(new RolloutRequest(previous, null, null, null, names, rollout.strategy()), actor,
                onTarget, id);
        if (!unknown.isEmpty()) {
            em.createNativeQuery("update rollout set reason = ?1 where id = ?2").setParameter(1, unknown.size()
                    + " updated node(s) left out, their previous version unknown: " + String.join(", ", unknown
                            .stream().limit(10).toList())).setParameter(2, back.id()).executeUpdate();
        }
        return get(back.id());
    }

    private RolloutView start(RolloutRequest request, String actor, Map<Long, String> knownVersions,
            Long rollsBack) {
        Release release = releases.get(request.version());
        RolloutStrategy strategy = request.parsedStrategy();
        RolloutPlan plan = plan(release, strategy, request, knownVersions);
        if (plan.batches().isEmpty()) {
            throw new BadRequestProblem("nothing-to-update", "no node of " + request.selection().describe()
                    + " needs " + release.version() + " (" + plan.skipped().size() + " skipped); nothing was started");
        }
        long id = ((Number) em.createNativeQuery("select nextval('rollout_seq')").getSingleResult()).longValue();
        em.createNativeQuery("insert into rollout (id, release_id, target_version, selection, strategy, state,"
                + " batches, eligible, allowed_failures, created_by) values (?1, ?2, ?3, ?4, cast(?5 as jsonb),"
                + " 'running', ?6, ?7, ?8, ?9)").setParameter(1, id).setParameter(2, release.id())
                .setParameter(3, release.version()).setParameter(4, request.selection().describe())
                .setParameter(5, write(request.spec())).setParameter(6, plan.batches().size())
                .setParameter(7, plan.eligible()).setParameter(8, plan.allowedFailures()).setParameter(9, actor)
                .executeUpdate();
        if (rollsBack != null) {
            em.createNativeQuery("update rollout set rolls_back = ?1 where id = ?2").setParameter(1, rollsBack)
                    .setParameter(2, id).executeUpdate();
        }
        int position = 0;
        try {
            for (RolloutPlan.Batch batch : plan.batches()) {
                for (RolloutCandidate node : batch.nodes()) {
                    insertNode(id, node, batch.index(), position++, NodeStep.PENDING, null, true);
                }
            }
            for (RolloutPlan.Skipped skip : plan.skipped()) {
                insertNode(id, skip.node(), null, position++, NodeStep.SKIPPED, skip.reason().code(), false);
            }
            em.flush();
        } catch (PersistenceException e) {
            throw new ConflictProblem("node-in-rollout", "a node of this selection was taken by another rollout"
                    + " started meanwhile; nothing was started, preview again");
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("rollout", id);
        details.put("version", release.version());
        details.put("sha256", release.sha256());
        details.put("selection", request.selection().describe());
        details.put("strategy", request.spec());
        details.put("nodes", plan.eligible());
        details.put("skipped", plan.skipped().size());
        List<String> names = plan.batches().stream().flatMap(batch -> batch.nodes().stream())
                .map(RolloutCandidate::name).limit(AuditLog.MAX_NODES).toList();
        if (rollsBack != null) {
            details.put("rollsBack", rollsBack);
        }
        audit.record(actor, rollsBack == null ? "rollout.start" : "rollout.rollback", "rollout " + id, names,
                AuditLog.OK, details);
        return get(id);
    }

    @Transactional
    public RolloutView pause(long id, String actor) {
        return move(id, RolloutState.RUNNING, RolloutState.PAUSED, "rollout.pause", actor, null);
    }

    @Transactional
    public RolloutView resume(long id, String actor) {
        return move(id, RolloutState.PAUSED, RolloutState.RUNNING, "rollout.resume", actor, null);
    }

    @Transactional
    public RolloutView promote(long id, String actor) {
        return move(id, RolloutState.AWAITING_PROMOTION, RolloutState.RUNNING, "rollout.promote", actor, null);
    }

    /** No node starts any more; nodes already updating finish, are gated and, if they fail, reverted. */
    @Transactional
    public RolloutView abort(long id, String actor) {
        return move(id, null, RolloutState.ABORTED, "rollout.abort", actor, "aborted by " + actor);
    }

    @Transactional
    public RolloutView get(long id) {
        return SqlRow.list(SqlRow.query(em, "select r.*, r.strategy::text as strategy_json from rollout r where r.id = :id").setParameter("id", id))
                .stream().map(this::view).findFirst().orElseThrow(() -> new NotFoundProblem("rollout", id));
    }

    @Transactional
    public Page<RolloutView> list(Paging paging) {
        return list(paging, null, null);
    }

    /** Rollouts newest first, only those in {@code state} and for {@code version} where given (null: any). */
    @Transactional
    public Page<RolloutView> list(Paging paging, String state, String version) {
        String where = " where (cast(:state as text) is null or r.state = cast(:state as text))"
                + " and (cast(:version as text) is null or r.target_version = cast(:version as text))";
        long total = ((Number) em.createNativeQuery("select count(*) from rollout r" + where)
                .setParameter("state", state).setParameter("version", version).getSingleResult()).longValue();
        List<RolloutView> items = SqlRow.list(SqlRow.query(em, "select r.*, r.strategy::text as strategy_json from"
                + " rollout r" + where + " order by r.created_at desc, r.id desc limit :limit offset :offset")
                .setParameter("state", state).setParameter("version", version)
                .setParameter("limit", paging.size()).setParameter("offset", paging.offset())).stream()
                .map(this::view).toList();
        return Page.of(items, paging, total);
    }

    /**
     * Who runs what: enabled nodes counted by the binary version their last poll reported (null: never polled or
     * no working binary), newest version first, each with whether it is behind {@code target} (the newest
     * registered release when null).
     */
    @Transactional
    public FleetVersions versions(String target) {
        String wanted = target != null ? target : releases.list().stream().map(Release::version)
                .max(VERSION_ORDER).orElse(null);
        List<FleetVersions.Version> versions = new ArrayList<>();
        SqlRow.list(SqlRow.query(em, "select s.binary_version as version, count(*) as nodes from node n"
                + " left join node_status s"
                + " on s.node_id = n.id where n.enabled group by 1")).forEach(row -> versions.add(
                        new FleetVersions.Version(row.text("version"), row.whole("nodes").intValue(),
                                row.text("version") != null && wanted != null && VERSION_ORDER.compare(
                                        row.text("version"), wanted) < 0)));
        versions.sort(java.util.Comparator.comparing(FleetVersions.Version::version, java.util.Comparator
                .nullsLast(VERSION_ORDER.reversed())));
        int behind = versions.stream().filter(FleetVersions.Version::behind).mapToInt(FleetVersions.Version::nodes)
                .sum();
        return new FleetVersions(wanted, behind, versions);
    }

    /** Version numbers compared number by number (0.2.10 after 0.2.9); text after them by text. */
    static final java.util.Comparator<String> VERSION_ORDER = (a, b) -> {
        String[] left = a.split("[.-]");
        String[] right = b.split("[.-]");
        for (int i = 0; i < Math.min(left.length, right.length); i++) {
            int order = left[i].matches("\\d{1,9}") && right[i].matches("\\d{1,9}")
                    ? Integer.compare(Integer.parseInt(left[i]), Integer.parseInt(right[i]))
                    : left[i].compareTo(right[i]);
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.length, right.length);
    };

    /** Every node of the rollout, batch by batch in rollout order, skipped ones last. */
    @Transactional
    public List<RolloutNodeView> nodes(long id) {
        get(id);
        return SqlRow.list(SqlRow.query(em, "select * from rollout_node where rollout_id = :id order by position")
                .setParameter("id", id)).stream().map(row -> new RolloutNodeView(row.text("node_name"),
                        row.text("region"), row.integer("batch"), row.text("state"), row.text("skip_reason"),
                        row.text("previous_version"), row.whole("run_id"), row.text("failure"),
                        row.instant("updated_at"), row.flag("staged_ahead"))).toList();
    }

    private RolloutView move(long id, RolloutState from, RolloutState to, String action, String actor,
            String reason) {
        RolloutView current = get(id);
        RolloutState state = RolloutState.fromDb(current.state());
        if (from != null && state != from || !state.canMoveTo(to)) {
            throw new ConflictProblem("illegal-transition", "rollout " + id + " is " + current.state() + "; it"
                    + " cannot move to " + to.dbValue());
        }
        int moved = em.createNativeQuery("update rollout set state = ?1, reason = coalesce(?2, reason),"
                + " updated_at = now() where id = ?3 and state = ?4").setParameter(1, to.dbValue())
                .setParameter(2, reason).setParameter(3, id).setParameter(4, state.dbValue()).executeUpdate();
        if (moved == 0) {
            throw new ConflictProblem("concurrent-change", "rollout " + id + " changed meanwhile; look again");
        }
        if (to == RolloutState.ABORTED) {
            cancelPending(em, id);
        }
        audit.record(actor, action, "rollout " + id, AuditLog.OK, Map.of("rollout", id, "from", state.dbValue(),
                "to", to.dbValue()));
        return get(id);
    }

    /** Nodes that have not started never will: the rollout is over for them. */
    static void cancelPending(EntityManager em, long id) {
        em.createNativeQuery("update rollout_node set state = 'cancelled', holds = false, updated_at = now()"
                + " where rollout_id = ?1 and state = 'pending'").setParameter(1, id).executeUpdate();
    }

    private RolloutPlan plan(Release release, RolloutStrategy strategy, RolloutRequest request,
            Map<Long, String> knownVersions) {
        NodeFilter.Predicate where = request.selection().filter().predicate();
        List<SqlRow> rows = SqlRow.list(where.bind(SqlRow.query(em, "select n.id, n.name, n.region, n.enabled,"
                + " s.state, s.binary_version, exists (select 1 from rollout_node h where h.node_id = n.id"
                + " and h.holds) as held from node n left join node_status s on s.node_id = n.id where "
                + where.sql())));
        List<RolloutCandidate> candidates = new ArrayList<>();
        List<RolloutPlan.Skipped> held = new ArrayList<>();
        for (SqlRow row : rows) {
            RolloutCandidate node = new RolloutCandidate(row.whole("id"), row.text("name"), row.text("region"),
                    Boolean.TRUE.equals(row.flag("enabled")), row.text("state"), knownVersions.getOrDefault(
                            row.whole("id"), row.text("binary_version")));
            if (Boolean.TRUE.equals(row.flag("held"))) {
                held.add(new RolloutPlan.Skipped(node, SkipReason.IN_ROLLOUT));
            } else {
                candidates.add(node);
            }
        }
        Map<String, Integer> healthy = new TreeMap<>();
        SqlRow.list(SqlRow.query(em, "select coalesce(n.region, '') as region, count(*) as up from node n"
                + " join node_status s on s.node_id = n.id where s.state = 'up' and n.enabled group by 1"))
                .forEach(row -> healthy.put(row.text("region"), row.whole("up").intValue()));
        RolloutPlan plan = RolloutPlanner.plan(strategy, release.version(), candidates, healthy,
                Duration.ofSeconds(config.estimatedNodeSeconds()));
        if (held.isEmpty()) {
            return plan;
        }
        List<RolloutPlan.Skipped> skipped = new ArrayList<>(plan.skipped());
        skipped.addAll(held);
        return new RolloutPlan(plan.batches(), skipped, plan.eligible(), plan.allowedFailures(), plan.estimated());
    }

    private void insertNode(long rollout, RolloutCandidate node, Integer batch, int position, NodeStep step,
            String skipReason, boolean holds) {
        em.createNativeQuery("insert into rollout_node (rollout_id, node_id, node_name, region, batch, position,"
                + " counts_healthy, state, skip_reason, previous_version, holds) values (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                + " ?8, ?9, ?10, ?11)").setParameter(1, rollout).setParameter(2, node.nodeId())
                .setParameter(3, node.name()).setParameter(4, node.regionKey()).setParameter(5, batch)
                .setParameter(6, position).setParameter(7, node.healthy()).setParameter(8, step.dbValue())
                .setParameter(9, skipReason).setParameter(10, node.version()).setParameter(11, holds)
                .executeUpdate();
    }

    private RolloutView view(SqlRow row) {
        long id = row.whole("id");
        Map<String, Integer> counts = new TreeMap<>();
        // the soak's end comes from the same statement as the counts: a second read could find the batch already
        // past its soak (the engine runs on its own threads) and no end at all
        java.time.Instant soakUntil = null;
        for (SqlRow count : SqlRow.list(SqlRow.query(em, "select state, count(*) as n, max(soak_until) as until"
                + " from rollout_node where rollout_id = :id group by state").setParameter("id", id))) {
            counts.put(count.text("state"), count.whole("n").intValue());
            if (NodeStep.SOAKING.dbValue().equals(count.text("state"))) {
                soakUntil = count.instant("until");
            }
        }
        int failures = NodeStep.FAILURES.stream().mapToInt(step -> counts.getOrDefault(step.dbValue(), 0)).sum();
        StrategySpec strategy = read(row.text("strategy_json"));
        String gate = null;
        java.time.Instant gateUntil = null;
        java.time.Instant now = java.time.Instant.now();
        if (soakUntil != null) {
            gateUntil = soakUntil;
            gate = "soak until " + gateUntil.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (health and"
                    + " reputation at most " + strategy.resolved().soakMaxDrop() + " below their figures before"
                    + " the update)";
        } else if (counts.getOrDefault(NodeStep.SOAK_CHECKING.dbValue(), 0) > 0) {
            gate = "soak: reading " + counts.get(NodeStep.SOAK_CHECKING.dbValue()) + " node(s)";
        } else if (row.instant("finished_at") == null && "awaiting_promotion".equals(row.text("state"))) {
            gate = "waiting for an operator to promote";
        } else if (row.instant("finished_at") == null && "running".equals(row.text("state"))) {
            if (row.instant("next_batch_at") != null && row.instant("next_batch_at").isAfter(now)) {
                gateUntil = row.instant("next_batch_at");
                gate = "pause until " + gateUntil.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            } else if (strategy.maintenanceWindow() != null && !strategy.maintenanceWindow().contains(now)) {
                gate = "outside the maintenance window " + strategy.window();
            }
        }
        return new RolloutView(id, row.text("target_version"), row.text("state"), row.text("reason"),
                row.text("selection"), strategy, row.integer("current_batch"),
                row.integer("batches"), row.integer("eligible"), row.integer("allowed_failures"), failures, counts,
                row.text("created_by"), row.instant("created_at"), row.instant("updated_at"),
                row.instant("finished_at"), gate, gateUntil);
    }

    String write(StrategySpec spec) {
        try {
            return json.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    StrategySpec read(String text) {
        try {
            return json.readValue(text, StrategySpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rollout strategy unreadable: " + e.getOriginalMessage(), e);
        }
    }
}
