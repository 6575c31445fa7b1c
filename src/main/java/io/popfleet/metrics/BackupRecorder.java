package io.popfleet.metrics;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import io.popfleet.ops.BackupList;
import io.popfleet.runs.TargetFinished;

/** Keeps each node's newest backup from its {@code list-backups} answers (docs/node-json.md). */
@ApplicationScoped
public class BackupRecorder {

    @Inject
    EntityManager em;

    /** In the target's transaction (see {@link TargetFinished}): the row and the answer it came from commit together. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onTargetFinished(@Observes TargetFinished finished) {
        if (finished.nodeId() != null) {
            finished.answer(BackupList.class).ifPresent(answer -> record(finished.nodeId(), answer));
        }
    }

    private void record(long nodeId, BackupList answer) {
        Optional<BackupList.Backup> newest = answer.newest();
        em.createNativeQuery("insert into node_backup (node_id, observed_at, backup_count, newest_name, newest_at,"
                + " size_bytes, sha256, verified, encrypted) values (:node, now(), :count, :name, :at, :size, :sha,"
                + " :verified, :encrypted) on conflict (node_id) do update set observed_at = excluded.observed_at,"
                + " backup_count = excluded.backup_count, newest_name = excluded.newest_name,"
                + " newest_at = excluded.newest_at, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,"
                + " verified = excluded.verified, encrypted = excluded.encrypted")
                .setParameter("node", nodeId).setParameter("count", answer.backups().size())
                .setParameter("name", new TypedParameterValue<>(StandardBasicTypes.STRING,
                        newest.map(BackupList.Backup::name).orElse(null)))
                .setParameter("at", new TypedParameterValue<>(StandardBasicTypes.INSTANT,
                        newest.map(BackupList.Backup::created).orElse(null)))
                .setParameter("size", new TypedParameterValue<>(StandardBasicTypes.LONG,
                        newest.map(BackupList.Backup::sizeBytes).orElse(null)))
                .setParameter("sha", new TypedParameterValue<>(StandardBasicTypes.STRING,
                        newest.map(BackupList.Backup::sha256).orElse(null)))
                .setParameter("verified", new TypedParameterValue<>(StandardBasicTypes.BOOLEAN,
                        newest.map(BackupList.Backup::verified).orElse(null)))
                .setParameter("encrypted", new TypedParameterValue<>(StandardBasicTypes.BOOLEAN,
                        newest.map(BackupList.Backup::encrypted).orElse(null)))
                .executeUpdate();
    }
}
