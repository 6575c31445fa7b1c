package io.popfleet.backup;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;
import io.popfleet.database.SqlRow;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;

/**
 * The backup jobs, each once per cluster ({@link ClusterJobs}): a group's scheduled backup run when it is due (every
 * group has a policy, on and daily unless changed), retention daily, and the verification pass.
 */
@ApplicationScoped
public class BackupScheduler {

    private static final Logger LOG = Logger.getLogger(BackupScheduler.class);
    static final String ACTOR = "backup-schedule";

    @Inject
    EntityManager em;

    @Inject
    ClusterJobs cluster;

    @Inject
    RunPlanner planner;

    @Inject
    OperationCatalog catalog;

    @Inject
    BackupRetention retention;

    @Inject
    BackupVerifier verifier;

    @Inject
    BackupConfig config;

    @Inject
    BackupPolicies policies;

    @Scheduled(every = "${popfleet.backup.tick:5m}", delayed = "${popfleet.backup.first-tick:2m}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        if (!config.jobsEnabled()) {
            return;
        }
        try {
            startDue(Instant.now());
            cluster.runOnce(ClusterJob.BACKUP_RETENTION, Duration.ofHours(20),
                    () -> retention.apply(Instant.now(), "backup-retention"));
            cluster.runOnce(ClusterJob.BACKUP_VERIFY, config.verifyInterval().multipliedBy(4).dividedBy(5),
                    () -> verifier.verifyAll("backup-verify"));
        } catch (RuntimeException e) {
            LOG.warn("backup jobs failed; the next tick tries again", e);
        }
    }

    /**
     * Starts a routine {@code backup} run for every group whose policy is on and whose last one started at least its
     * interval before {@code now}, and one for the nodes in no group when the default policy is due; answers the runs
     * started. Groups get the default policy row on first sight.
     */
    @Transactional
    public List<Run> startDue(Instant now) {
        if (!cluster.claimInTransaction(ClusterJob.BACKUP_SCHEDULE)) {
            return List.of();
        }
        policies.ensureGroupRows();
        List<SqlRow> due = SqlRow.list(SqlRow.query(em, "select g.id, g.name from backup_policy p join node_group g"
                + " on g.id = p.group_id where p.enabled and " + DUE + " and exists (select 1 from"
                + " node_group_member m join node n on n.id = m.node_id where m.group_id = g.id and n.enabled)"
                + " order by g.name").setParameter("now", now));
        List<Run> started = new ArrayList<>();
        if (!due.isEmpty()) {
            // one run for every due group: a node in two of them (the demo's "demo" and its region) is backed up once
            List<String> names = due.stream().map(group -> group.text("name")).toList();
            started.add(planner.planRoutine(catalog.call("backup"), new NodeSelection(names, null, null, null, false),
                    ACTOR));
            em.createNativeQuery("update backup_policy set last_started_at = :now where group_id in (:ids)")
                    .setParameter("now", now).setParameter("ids", due.stream().map(group -> group.whole("id"))
                            .toList()).executeUpdate();
        }
        boolean defaultDue = !em.createNativeQuery("select 1 from backup_policy_default p where p.enabled and " + DUE)
                .setParameter("now", now).getResultList().isEmpty();
        if (defaultDue) {
            @SuppressWarnings("unchecked")
            List<String> ungrouped = em.createNativeQuery("select n.name from node n where n.enabled and not exists"
                    + " (select 1 from node_group_member m where m.node_id = n.id) order by n.name").getResultList();
            if (!ungrouped.isEmpty()) {
                started.add(planner.planRoutine(catalog.call("backup"), NodeSelection.named(ungrouped), ACTOR));
                em.createNativeQuery("update backup_policy_default set last_started_at = :now")
                        .setParameter("now", now).executeUpdate();
            }
        }
        return started;
    }

    /** A policy is due once its interval has passed since its last run (a minute early, so ticks do not drift). */
    private static final String DUE = "(p.last_started_at is null or p.last_started_at <= cast(:now as timestamptz)"
            + " - p.interval_hours * interval '1 hour' + interval '1 minute')";
}
