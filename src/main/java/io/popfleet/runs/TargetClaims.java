package io.popfleet.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.popfleet.database.SqlRow;

/**
 * The database side of executing runs: claiming queued targets ({@code FOR UPDATE SKIP LOCKED}, so two
 * controllers never claim the same row), heart-beating what is in flight, sweeping orphans, finishing runs.
 */
@ApplicationScoped
public class TargetClaims {

    private static final Logger LOG = Logger.getLogger(TargetClaims.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    // Run states as the SQL below needs them. Finishing is the one run move made in SQL (the row lock makes it
    // safe against a second controller); it follows RunState's table, running -> finished.
    private static final String RUNNING = RunState.RUNNING.sqlLiteral();
    private static final String FINISHED = RunState.FINISHED.sqlLiteral();

    @Inject
    EntityManager em;

    @Inject
    Event<TargetFinished> finished;

    @Transactional
    public List<ClaimedTarget> claim(String executor, int limit) {
        if (limit <= 0) {
            return List.of();
        }
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, """
                with picked as (
                    select q.id from run_target q join run r on r.id = q.run_id
                    where q.state = 'queued' and r.state = %s
                    order by q.run_id, q.id limit :limit
                    for update of q skip locked)
                update run_target t set state = 'claimed', executor = :executor, claimed_at = now(),
                    heartbeat_at = now(), updated_at = now(), attempts = t.attempts + 1, version = t.version + 1
                from picked, run r
                where t.id = picked.id and r.id = t.run_id
                returning t.id, t.run_id, t.node_id, t.node_name, r.operation, cast(r.arguments as text) as arguments,
                    r.mutating
                """.formatted(RUNNING)).setParameter("limit", limit).setParameter("executor", executor));
        return rows.stream().map(row -> new ClaimedTarget(row.whole("id"), row.whole("run_id"), row.whole("node_id"),
                row.text("node_name"), row.text("operation"), arguments(row.text("arguments")), row.flag("mutating")))
                .toList();
    }

    /**
     * Tells other controllers this executor is alive and still works on {@code held}: only those rows, so a row
     * this executor lost track of (a write that failed) stops being refreshed and the sweep orphans it.
     */
    @Transactional
    public int heartbeat(String executor, Collection<Long> held) {
        if (held.isEmpty()) {
            return 0;
        }
        return em.createNativeQuery("update run_target set heartbeat_at = now() where id in (:ids)"
                + " and executor = :executor and state in ('claimed', 'running')")
                .setParameter("ids", new ArrayList<>(held)).setParameter("executor", executor).executeUpdate();
    }

    /**
     * Targets whose executor stopped heart-beating for {@code staleSeconds}: a read goes back to the queue once
     * (reads may be retried), and so does a mutation that was only claimed (it is marked running, in its own
     * commit, before its command leaves for the node, so a claimed one never reached the node); a mutation that
     * was running stays orphaned for an operator to look at, since what it did on the node is unknown.
     */
    @Transactional
    public int sweepOrphans(int staleSeconds) {
        @SuppressWarnings("unchecked")
        List<Number> stale = em.createNativeQuery("select id from run_target where state in ('claimed', 'running')"
                + " and heartbeat_at < now() - make_interval(secs => :stale) for update skip locked")
                .setParameter("stale", staleSeconds).getResultList();
        for (Number id : stale) {
            RunTarget target = RunTarget.findById(id.longValue());
            Run run = Run.findById(target.runId);
            LOG.warnf("target %d (%s) of run %d orphaned by executor %s", target.id, target.nodeName, run.id,
                    target.executor);
            boolean reachedNode = target.state != TargetState.CLAIMED;
            target.orphan();
            if ((!run.mutating || !reachedNode) && target.attempts < 2 && run.isRunning()) {
                target.requeue();
            } else {
                // it leaves the executors without an outcome: whoever waits on it (a rollout) must hear so
                finished.fire(TargetFinished.of(target, run.operation, null));
            }
            completeIfDone(run.id);
        }
        return stale.size();
    }

    /**
     * Marks the run finished once no target is queued or in flight. The run row is locked first: two last
     * targets finishing at once would otherwise each still see the other running, and neither would finish it.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void completeIfDone(long runId) {
        em.flush();
        em.createNativeQuery("select id from run where id = :run for update").setParameter("run", runId)
                .getResultList();
        em.createNativeQuery("update run set state = " + FINISHED + ", finished_at = now(), version = version + 1"
                + " where id = :run and state = " + RUNNING + " and not exists (select 1 from run_target"
                + " where run_id = :run and state in ('queued', 'claimed', 'running'))")
                .setParameter("run", runId).executeUpdate();
    }

    /** A safety net for runs whose last completion was lost (a controller killed between two commits). */
    @Transactional
    public int finishSettledRuns() {
        return em.createNativeQuery("update run r set state = " + FINISHED + ", finished_at = now(),"
                + " version = version + 1 where r.state = " + RUNNING + " and not exists (select 1 from run_target t"
                + " where t.run_id = r.id and t.state in ('queued', 'claimed', 'running'))").executeUpdate();
    }

    private static List<String> arguments(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<String>>() { });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("run arguments are not a JSON list: " + json, e);
        }
    }
}
