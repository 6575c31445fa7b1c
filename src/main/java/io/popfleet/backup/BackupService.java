package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
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
