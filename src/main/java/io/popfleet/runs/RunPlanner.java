package io.popfleet.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.FailureKind;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.inventory.NodeFilter;
import io.popfleet.ops.OperationCall;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.security.AuditLog;

/** Turns an operation and a node selection into a run with one queued target per node, in one transaction. */
@ApplicationScoped
public class RunPlanner {

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    @Inject
    OperationCatalog catalog;

    @Inject
    Event<RunExecutor.RunPlanned> planned;

    @Inject
    NodeHolds holds;

    /** How many nodes a selection covers now: the live count the run form shows. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public long count(NodeSelection selection) {
        NodeFilter.Predicate where = selection.filter().predicate();
        return ((Number) where.bind(em.createNativeQuery("select count(*) from node n where " + where.sql()))
                .getSingleResult()).longValue();
    }

    @Transactional
    public Run plan(OperationCall call, NodeSelection selection, String actor) {
        return plan(call, selection, actor, null);
    }

    /**
     * A routine run (a scheduled poll): planned like any other, but its successful targets are compacted after
     * {@code popfleet.runs.retention.routine-detail} ({@link RunRetention}). Whether one should start now is the
     * caller's cluster-locked decision.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public Run planRoutine(OperationCall call, NodeSelection selection, String actor) {
        // not refused whole for a held node: the claim fails that node's target alone, the others run
        Run run = plan(call, selection, actor, null, List.of(), false);
        run.routine = true;
        return run;
    }

    @Transactional
    public Run plan(OperationCall call, NodeSelection selection, String actor, Long retryOf) {
        return plan(call, selection, actor, retryOf, List.of(), true);
    }

    /** @param confirmed what the operator confirmed to start it (a re-run's warnings), kept in the audit entry */
    private Run plan(OperationCall call, NodeSelection selection, String actor, Long retryOf,
            List<ApiProblem.FieldError> confirmed, boolean refuseHeld) {
        Run run = new Run();
        run.operation = call.command();
        run.arguments = call.arguments();
        run.mutating = call.mutating();
        run.selection = selection.describe();
        run.startedBy = actor;
        run.retryOf = retryOf;
        run.createdAt = Instant.now();
        run.persist();
        em.flush();
        NodeFilter.Predicate where = selection.filter().predicate();
        Query insert = em.createNativeQuery("insert into run_target (id, run_id, node_id, node_name, state,"
                + " updated_at) select nextval('run_target_seq'), :run, n.id, n.name, 'queued', now()"
                + " from node n where " + where.sql() + " order by n.name");
        insert.setParameter("run", run.id);
        int targets = where.bind(insert).executeUpdate();
        if (targets == 0) {
            throw new BadRequestProblem("empty-selection", "no enabled node matches " + selection.describe());
        }
        run.total = targets;
        if (refuseHeld && call.mutating()) {
            holds.refuseHeld(run.id, call.command(), actor);
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("run", run.id);
        details.put("operation", call.command());
        details.put("arguments", call.arguments());
        details.put("mutating", call.mutating());
        details.put("selection", run.selection);
        details.put("nodes", targets);
        if (retryOf != null) {
            details.put("retryOf", retryOf);
        }
        if (!confirmed.isEmpty()) {
            details.put("confirmed", confirmed.stream().map(ask -> ask.field() + ": " + ask.message()).toList());
        }
        @SuppressWarnings("unchecked")
        List<String> names = em.createNativeQuery("select node_name from run_target where run_id = ?1"
                + " order by node_name limit " + AuditLog.MAX_NODES).setParameter(1, run.id).getResultList();
        audit.record(actor, "run.start", "run " + run.id, names, AuditLog.OK, details);
        planned.fire(new RunExecutor.RunPlanned(run.id));
        return run;
    }

    /** A new run over the targets of {@code runId} that failed (or were orphaned), unless one needs asking first. */
    @Transactional
    public Run retryFailed(long runId, String actor) {
        return retryFailed(runId, actor, false);
    }

    /**
     * A new run over the targets of {@code runId} that failed (or were orphaned), with the same operation. Some
     * need the operator's word first, and without {@code confirmed} nothing starts while there are any (409
     * {@code confirmation-required}, one entry per node with the reason): a mutation whose effect on the node is
     * unknown (orphaned, or timed out while the node worked), and a node disabled since.
     */
    @Transactional
    public Run retryFailed(long runId, String actor, boolean confirmed) {
        Run previous = Run.<Run>findByIdOptional(runId)
                .orElseThrow(() -> new NotFoundProblem("run", runId));
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select t.node_name, t.state, t.failure_kind, n.enabled"
                + " from run_target t join node n on n.id = t.node_id where t.run_id = :run"
                + " and t.state in ('failed', 'orphaned') order by t.node_name").setParameter("run", runId));
        if (rows.isEmpty()) {
            throw new BadRequestProblem("nothing-to-retry", "run " + runId + " has no failed targets");
        }
        List<String> names = new ArrayList<>();
        List<ApiProblem.FieldError> asks = new ArrayList<>();
        for (SqlRow row : rows) {
            String node = row.text("node_name");
            names.add(node);
            String kind = row.text("failure_kind");
            if (previous.mutating && (TargetState.ORPHANED.dbValue().equals(row.text("state"))
                    || FailureKind.ORPHANED.code().equals(kind) || FailureKind.TIMEOUT.code().equals(kind))) {
                asks.add(new ApiProblem.FieldError(node, null, null, "the earlier " + previous.operation + " may"
                        + " have changed this node already (" + kind + "): running it again repeats a change"));
            }
            if (Boolean.FALSE.equals(row.flag("enabled"))) {
                asks.add(new ApiProblem.FieldError(node, null, null, "this node has been disabled since"));
            }
        }
        if (!asks.isEmpty() && !confirmed) {
            throw new ConflictProblem("confirmation-required", asks.size() + " target(s) of run " + runId
                    + " need confirming before they run again; nothing was started. Send the re-run again with"
                    + " confirm=true to run them", asks);
        }
        OperationCall call = catalog.again(previous.operation, previous.arguments);
        return plan(call, new NodeSelection(null, null, null, names, true), actor, runId, asks, true);
    }
}
