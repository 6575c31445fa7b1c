package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.metrics.MetricsConfig;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;

/** Fleet backups: starting them, and reading what the store holds. */
@ApplicationScoped
public class BackupService {

    @Inject
    EntityManager em;

    @Inject
    RunPlanner planner;

    @Inject
    OperationCatalog catalog;

    @Inject
    BackupStore store;

    @Inject
    BackupKeys keys;

    @Inject
    MetricsConfig metrics;

    /**
     * A run of {@code pop backup} on the selected nodes (audited as every run is); each archive a node reports is
     * then pulled into the store ({@link BackupPulls}).
     */
    @Transactional
    public Run backupNow(NodeSelection selection, String actor) {
        return planner.plan(catalog.call("backup"), selection, actor);
    }

    /** Stored archives, newest first: of one node, or of the whole fleet. */
    @Transactional
    public List<StoredArchive> list(Optional<Long> nodeId, int limit) {
        jakarta.persistence.Query query = SqlRow.query(em, "select " + StoredArchive.COLUMNS + " from backup_archive"
                + (nodeId.isPresent() ? " where node_id = :node" : "") + " order by made_at desc, id desc limit :limit")
                .setParameter("limit", limit);
        nodeId.ifPresent(id -> query.setParameter("node", id));
        return SqlRow.list(query).stream().map(StoredArchive::of).toList();
    }

    /**
     * Every node's backups in the store (disabled nodes too, marked), by name; with {@code staleOnly} only the
     * enabled nodes whose newest verified copy is missing or older than the maximum age.
     */
    @Transactional
    public List<NodeBackups> nodes(boolean staleOnly) {
        Instant oldest = Instant.now().minus(metrics.backupMaxAge());
        List<NodeBackups> all = SqlRow.list(SqlRow.query(em, "select n.id as node_id, n.name as node_name,"
                + " n.enabled, s.id as newest_id, s.archive_name as newest_name, s.made_at as newest_at,"
                + " s.size_bytes, s.key_id, c.stored, c.failed, v.verified_at as last_verified_at, v.verify_ok as"
                + " last_verify_ok from node n left join lateral (select a.id, a.archive_name, a.made_at,"
                + " a.size_bytes, a.key_id from backup_archive a where a.node_id = n.id and a.verify_ok order by"
                + " a.made_at desc limit 1) s on true cross join lateral (select count(*) as stored, count(*)"
                + " filter (where a.verify_ok = false) as failed from backup_archive a where a.node_id = n.id) c"
                + " left join lateral (select a.verified_at, a.verify_ok from backup_archive a where a.node_id ="
                + " n.id and a.verified_at is not null order by a.verified_at desc limit 1) v on true"
                + " order by n.name")).stream().map(r -> NodeBackups.of(r, oldest)).toList();
        return staleOnly ? all.stream().filter(n -> n.enabled() && n.stale()).toList() : all;
    }

    @Transactional
    public Optional<StoredArchive> find(long archiveId) {
        return SqlRow.list(SqlRow.query(em, "select " + StoredArchive.COLUMNS + " from backup_archive where id = :id")
                .setParameter("id", archiveId)).stream().map(StoredArchive::of).findFirst();
    }

    /**
     * The archive's plaintext, decrypted as it is read. A stored copy that was altered fails while being read
     * ({@link IOException}), never silently.
     */
    @Transactional
    public InputStream open(long archiveId) throws IOException {
        SqlRow row = SqlRow.list(SqlRow.query(em, "select sha256, key_id, wrapped_key from backup_archive"
                + " where id = :id").setParameter("id", archiveId)).stream().findFirst()
                .orElseThrow(() -> new NotFoundProblem("backup", archiveId));
        String sha = row.text("sha256");
        InputStream sealed = store.open(sha).orElseThrow(() -> new IOException("the store has lost archive " + sha));
        return ArchiveCipher.opening(sealed, keys.unwrap(row.text("key_id"), (byte[]) row.tuple().get("wrapped_key"),
                sha));
    }
}
