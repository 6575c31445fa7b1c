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

    @Transactional
    public RolloutPreview preview(RolloutRequest request) {
        Release release = releases.get(request.version());
        RolloutStrategy strategy = request.parsedStrategy();
        return RolloutPreview.of(release, request.selection().describe(), request.spec(), plan(release, strategy,
                request));
    }

    /**
     * Starts a rollout exactly as its preview says: one row per selected node with its batch (or its reason to be
     * skipped), in one transaction. A node another open rollout holds is skipped in the preview; one taken by a
     * rollout started meanwhile makes this one fail (409) and nothing is stored.
     */
    @Transactional
    public RolloutView start(RolloutRequest request, String actor) {
        Release release = releases.get(request.version());
        RolloutStrategy strategy = request.parsedStrategy();
        RolloutPlan plan = plan(release, strategy, request);
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
        audit.record(actor, "rollout.start", "rollout " + id, names, AuditLog.OK, details);
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
        long total = ((Number) em.createNativeQuery("select count(*) from rollout").getSingleResult()).longValue();
        List<RolloutView> items = SqlRow.list(SqlRow.query(em, "select r.*, r.strategy::text as strategy_json from rollout r order by r.created_at desc,"
                + " r.id desc limit :limit offset :offset").setParameter("limit", paging.size())
                .setParameter("offset", paging.offset())).stream().map(this::view).toList();
        return Page.of(items, paging, total);
    }

    /** Every node of the rollout, batch by batch in rollout order, skipped ones last. */
    @Transactional
    public List<RolloutNodeView> nodes(long id) {
        get(id);
        return SqlRow.list(SqlRow.query(em, "select * from rollout_node where rollout_id = :id order by position")
                .setParameter("id", id)).stream().map(row -> new RolloutNodeView(row.text("node_name"),
                        row.text("region"), row.integer("batch"), row.text("state"), row.text("skip_reason"),
                        row.text("previous_version"), row.whole("run_id"), row.text("failure"),
                        row.instant("updated_at"))).toList();
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

    private RolloutPlan plan(Release release, RolloutStrategy strategy, RolloutRequest request) {
        NodeFilter.Predicate where = request.selection().filter().predicate();
        List<SqlRow> rows = SqlRow.list(where.bind(SqlRow.query(em, "select n.id, n.name, n.region, n.enabled,"
                + " s.state, s.binary_version, exists (select 1 from rollout_node h where h.node_id = n.id"
                + " and h.holds) as held from node n left join node_status s on s.node_id = n.id where "
                + where.sql())));
        List<RolloutCandidate> candidates = new ArrayList<>();
        List<RolloutPlan.Skipped> held = new ArrayList<>();
        for (SqlRow row : rows) {
            RolloutCandidate node = new RolloutCandidate(row.whole("id"), row.text("name"), row.text("region"),
                    Boolean.TRUE.equals(row.flag("enabled")), row.text("state"), row.text("binary_version"));
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
        SqlRow.list(SqlRow.query(em, "select state, count(*) as n from rollout_node where rollout_id = :id"
                + " group by state").setParameter("id", id))
                .forEach(count -> counts.put(count.text("state"), count.whole("n").intValue()));
        int failures = NodeStep.FAILURES.stream().mapToInt(step -> counts.getOrDefault(step.dbValue(), 0)).sum();
        return new RolloutView(id, row.text("target_version"), row.text("state"), row.text("reason"),
                row.text("selection"), read(row.text("strategy_json")), row.integer("current_batch"),
                row.integer("batches"), row.integer("eligible"), row.integer("allowed_failures"), failures, counts,
                row.text("created_by"), row.instant("created_at"), row.instant("updated_at"),
                row.instant("finished_at"));
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
