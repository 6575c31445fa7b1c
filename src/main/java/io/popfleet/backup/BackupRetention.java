package io.popfleet.backup;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/**
 * Applies each node's {@link RetentionPolicy} (its groups' {@code backup_policy}, the most keeping one when it is in
 * several; the defaults without one) and deletes what the policy lets go: rows first, in one audited transaction per
 * node, then the stored files. The clock is the caller's, so a test can run months of it.
 */
@ApplicationScoped
public class BackupRetention {

    private static final Logger LOG = Logger.getLogger(BackupRetention.class);

    @Inject
    EntityManager em;

    @Inject
    BackupStore store;

    @Inject
    AuditLog audit;

    @Inject
    jakarta.transaction.TransactionSynchronizationRegistry transactions;

    /** Answers how many archives were deleted. */
    public int apply(Instant now, String actor) {
        List<Long> nodes = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select distinct node_id from backup_archive where node_id is not null").getResultList().stream()
                .map(id -> ((Number) id).longValue()).toList());
        int deleted = 0;
        for (long node : nodes) {
            List<String> gone = QuarkusTransaction.requiringNew().call(() -> applyToNode(node, now, actor));
            deleted += gone.size();
            deleteFiles(gone);
        }
        return deleted;
    }

    /**
     * Deletes one archive on an operator's word, unless it is the node's last good one (its newest archive whose
     * last verification passed, when no other good one remains).
     */
    @Transactional
    public void delete(long archiveId, String actor) {
        SqlRow row = SqlRow.list(SqlRow.query(em, "select a.node_id, a.node_name, a.archive_name, a.sha256,"
                + " a.verify_ok, (select count(*) from backup_archive o where o.node_id = a.node_id and o.id <> a.id"
                + " and o.verify_ok) as other_good from backup_archive a where a.id = :id for update")
                .setParameter("id", archiveId)).stream().findFirst()
                .orElseThrow(() -> new NotFoundProblem("backup", archiveId));
        if (Boolean.TRUE.equals(row.flag("verify_ok")) && row.whole("other_good") == 0) {
            audit.recordAlone(actor, "backup.delete", row.text("archive_name"), AuditLog.REFUSED,
                    Map.of("reason", "last good backup of " + row.text("node_name")));
            throw new ConflictProblem("last-good-backup", row.text("archive_name") + " is the last good backup of "
                    + row.text("node_name") + "; it is kept until a newer one is verified");
        }
        em.createNativeQuery("delete from backup_archive where id = :id").setParameter("id", archiveId)
                .executeUpdate();
        audit.record(actor, "backup.delete", row.text("archive_name"), List.of(row.text("node_name")), AuditLog.OK,
                Map.of("sha256", row.text("sha256")));
        String sha = row.text("sha256");
        deleteFilesAfterCommit(sha);
    }

    private List<String> applyToNode(long node, Instant now, String actor) {
        em.createNativeQuery("select id from node where id = :id for update").setParameter("id", node)
                .getResultList();
        RetentionPolicy policy = policyOf(node);
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select id, node_name, archive_name, made_at, sha256,"
                + " coalesce(verify_ok, false) as good from backup_archive where node_id = :node")
                .setParameter("node", node));
        Map<Long, SqlRow> byId = new HashMap<>();
        List<RetentionPolicy.Archive> archives = new ArrayList<>();
        for (SqlRow row : rows) {
            byId.put(row.whole("id"), row);
            archives.add(new RetentionPolicy.Archive(row.whole("id"), row.instant("made_at"), row.flag("good")));
        }
        Set<Long> keep = policy.keep(archives, now);
        List<Long> drop = byId.keySet().stream().filter(id -> !keep.contains(id)).sorted().toList();
        if (drop.isEmpty()) {
            return List.of();
        }
        em.createNativeQuery("delete from backup_archive where id in (:ids)").setParameter("ids", drop)
                .executeUpdate();
        String nodeName = rows.get(0).text("node_name");
        audit.record(actor, "backup.retention", nodeName, List.of(nodeName), AuditLog.OK, Map.of("deleted",
                drop.stream().map(id -> byId.get(id).text("archive_name")).toList(), "kept", keep.size(),
                "policy", policy.toString()));
        return drop.stream().map(id -> byId.get(id).text("sha256")).toList();
    }

    /** The node's groups' policy, the most keeping of each setting; the default policy when it is in no group. */
    RetentionPolicy policyOf(long node) {
        SqlRow row = SqlRow.single(SqlRow.query(em, "select max(p.keep_last) as keep_last, max(p.keep_daily) as"
                + " keep_daily, max(p.keep_weekly) as keep_weekly from backup_policy p join node_group_member m"
                + " on m.group_id = p.group_id where m.node_id = :node").setParameter("node", node));
        if (row.integer("keep_last") == null) {
            row = SqlRow.list(SqlRow.query(em, "select keep_last, keep_daily, keep_weekly from"
                    + " backup_policy_default")).stream().findFirst().orElse(null);
            if (row == null) {
                return RetentionPolicy.DEFAULT;
            }
        }
        return new RetentionPolicy(row.integer("keep_last"), row.integer("keep_daily"), row.integer("keep_weekly"));
    }

    private void deleteFilesAfterCommit(String sha) {
        transactions.registerInterposedSynchronization(new jakarta.transaction.Synchronization() {
            @Override
            public void beforeCompletion() {
                // the row goes first; the file only once that is certain
            }

            @Override
            public void afterCompletion(int status) {
                if (status == jakarta.transaction.Status.STATUS_COMMITTED) {
                    deleteFiles(List.of(sha));
                }
            }
        });
    }

    private void deleteFiles(List<String> shas) {
        for (String sha : shas) {
            try {
                store.delete(sha);
            } catch (IOException e) {
                LOG.warnf("backup %s: row deleted, file not (%s); it is an orphan in the store", sha, e);
            }
        }
    }
}
