package io.popfleet.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/** Reading runs and their targets, cancelling a run. Counts are SQL aggregates, never loaded rows. */
@ApplicationScoped
public class RunService {

    @Inject
    Event<TargetFinished> finished;

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Transactional
    public List<RunView> list(int page, int size) {
        List<Run> runs = Run.<Run>findAll(Sort.descending("createdAt", "id")).page(Page.of(page, size)).list();
        Map<Long, Map<String, Long>> counts = counts(runs.stream().map(run -> run.id).toList());
        return runs.stream().map(run -> view(run, counts.getOrDefault(run.id, Map.of()))).toList();
    }

    @Transactional
    public long count() {
        return Run.count();
    }

    /** Newest first, only the runs the filter lets through. */
    @Transactional
    public List<RunView> list(RunFilter filter, int page, int size) {
        RunFilter.Where where = filter.where();
        List<Run> runs = Run.<Run>find(where.query(), Sort.descending("createdAt", "id"),
                where.parameters().toArray()).page(Page.of(page, size)).list();
        Map<Long, Map<String, Long>> counts = counts(runs.stream().map(run -> run.id).toList());
        return runs.stream().map(run -> view(run, counts.getOrDefault(run.id, Map.of()))).toList();
    }

    @Transactional
    public long count(RunFilter filter) {
        RunFilter.Where where = filter.where();
        return Run.count(where.query(), where.parameters().toArray());
    }

    /** Who started runs, for the list's filter: people first by name, the monitor last. */
    @Transactional
    public List<String> starters() {
        return em.createQuery("select distinct r.startedBy from Run r where r.routine = false order by r.startedBy",
                String.class).setMaxResults(200).getResultList();
    }

    /**
     * What people's runs did to one node, newest first: each run with this node's own outcome. The monitor's
     * polls are left out: they show as the node's health and charts.
     */
    /**
     * For each of these nodes, the newest run started by a person that changed it and succeeded there after
     * {@code since}: the drift page marks a node whose fix ran but whose facts are older than that run.
     */
    @Transactional
    public Map<Long, NodeRun> changedOkSince(java.util.Collection<Long> nodeIds, Instant since) {
        Map<Long, NodeRun> newest = new LinkedHashMap<>();
        if (nodeIds.isEmpty()) {
            return newest;
        }
        List<Object[]> rows = em.createQuery("select r, t from RunTarget t, Run r where r.id = t.runId"
                + " and t.nodeId in :nodes and r.routine = false and r.mutating = true and t.state = :ok"
                + " and r.createdAt > :since order by t.runId desc", Object[].class)
                .setParameter("nodes", new ArrayList<>(nodeIds)).setParameter("ok", TargetState.OK)
                .setParameter("since", since).getResultList();
        for (Object[] row : rows) {
            RunTarget target = (RunTarget) row[1];
            newest.putIfAbsent(target.nodeId, NodeRun.of((Run) row[0], target));
        }
        return newest;
    }

    @Transactional
    public List<NodeRun> forNode(long nodeId, int limit) {
        List<Object[]> rows = em.createQuery("select r, t from RunTarget t, Run r where r.id = t.runId"
                + " and t.nodeId = :node and r.routine = false order by t.runId desc", Object[].class)
                .setParameter("node", nodeId).setMaxResults(limit).getResultList();
        return rows.stream().map(row -> NodeRun.of((Run) row[0], (RunTarget) row[1])).toList();
    }

    // Reads run in their own transaction, hence their own persistence context: a watcher polling a run must see
    // each new state, not the copy its request loaded first.
    @Transactional
    public Optional<RunView> get(long id) {
        return Run.<Run>findByIdOptional(id).map(run -> view(run, counts(List.of(id)).getOrDefault(id, Map.of())));
    }

    @Transactional
    public List<TargetView> targets(long runId, String state, int page, int size) {
        require(runId);
        var query = state == null || state.isBlank()
                ? RunTarget.<RunTarget>find("runId", Sort.by("nodeName").and("id"), runId)
                : RunTarget.<RunTarget>find("runId = ?1 and state = ?2", Sort.by("nodeName").and("id"), runId,
                        stateOf(state));
        return query.page(Page.of(page, size)).list().stream().map(TargetView::of).toList();
    }

    @Transactional
    public long countTargets(long runId, String state) {
        return state == null || state.isBlank() ? RunTarget.count("runId", runId)
                : RunTarget.count("runId = ?1 and state = ?2", runId, stateOf(state));
    }

    /** Target changes after {@code since} (exclusive), oldest first, for live progress. */
    @Transactional
    public List<RunTarget> changedSince(long runId, Instant since) {
        return RunTarget.<RunTarget>find("runId = ?1 and updatedAt > ?2", Sort.by("updatedAt").and("id"), runId,
                since).list();
    }

    /**
     * Stops a run: targets not yet started are cancelled; targets already running on a node finish and report
     * what really happened there (killing a half-done update would be worse).
     */
    @Transactional
    public RunView cancel(long id, String actor) {
        Run run = require(id);
        if (!run.isRunning()) {
            throw new ConflictProblem("run-not-running", "run " + id + " is " + run.state.dbValue()
                    + "; only a running run can be cancelled");
        }
        List<RunTarget> queued = RunTarget.list("runId = ?1 and state = ?2", id, TargetState.QUEUED);
        for (RunTarget target : queued) {
            target.cancel("run cancelled by " + actor);
            finished.fire(TargetFinished.of(target, run.operation, null));
        }
        run.cancel();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("run", id);
        details.put("cancelledTargets", queued.size());
        audit.record(actor, "run.cancel", "run " + id, AuditLog.OK, details);
        em.flush();
        return get(id).orElseThrow();
    }

    private Run require(long id) {
        return Run.<Run>findByIdOptional(id).orElseThrow(() -> new NotFoundProblem("run", id));
    }

    private Map<Long, Map<String, Long>> counts(List<Long> runIds) {
        Map<Long, Map<String, Long>> counts = new LinkedHashMap<>();
        if (runIds.isEmpty()) {
            return counts;
        }
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select run_id, state, count(*) as n from run_target"
                + " where run_id in (:ids) group by run_id, state").setParameter("ids", new ArrayList<>(runIds)));
        for (SqlRow row : rows) {
            counts.computeIfAbsent(row.whole("run_id"), k -> new LinkedHashMap<>())
                    .put(row.text("state"), row.whole("n"));
        }
        return counts;
    }

    private static RunView view(Run run, Map<String, Long> stored) {
        Map<String, Long> counts = stored;
        if (run.compactedOk > 0) {
            // A compacted routine run still says how many nodes answered; only their rows are gone.
            counts = new LinkedHashMap<>(stored);
            counts.merge(TargetState.OK.dbValue(), (long) run.compactedOk, Long::sum);
        }
        return new RunView(run.id, run.operation, run.arguments, run.mutating, run.selection, run.startedBy,
                run.retryOf, run.state.dbValue(), run.total, counts, run.createdAt, run.finishedAt);
    }

    private static TargetState stateOf(String state) {
        try {
            return TargetState.fromDb(state);
        } catch (IllegalArgumentException e) {
            throw new BadRequestProblem("invalid-state", "state must be one of "
                    + String.join(", ", TargetState.dbValues()));
        }
    }
}
