package io.popfleet.metrics;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/** Keeps each node's newest backup from its {@code list-backups} answers (docs/node-json.md). */
@ApplicationScoped
public class BackupRecorder {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(long nodeId, Map<String, Object> data) {
        List<?> backups = data.get("backups") instanceof List<?> list ? list : List.of();
        Map<?, ?> newest = backups.isEmpty() || !(backups.get(0) instanceof Map<?, ?> first) ? Map.of() : first;
        em.createNativeQuery("insert into node_backup (node_id, observed_at, backup_count, newest_name, newest_at,"
                + " size_bytes, sha256, verified, encrypted) values (:node, now(), :count, :name, :at, :size, :sha,"
                + " :verified, :encrypted) on conflict (node_id) do update set observed_at = excluded.observed_at,"
                + " backup_count = excluded.backup_count, newest_name = excluded.newest_name,"
                + " newest_at = excluded.newest_at, size_bytes = excluded.size_bytes, sha256 = excluded.sha256,"
                + " verified = excluded.verified, encrypted = excluded.encrypted")
                .setParameter("node", nodeId).setParameter("count", backups.size())
                .setParameter("name", new TypedParameterValue<>(StandardBasicTypes.STRING, StatusFields.text(newest.get("name"))))
                .setParameter("at", new TypedParameterValue<>(StandardBasicTypes.INSTANT, instant(newest.get("created"))))
                .setParameter("size", new TypedParameterValue<>(StandardBasicTypes.LONG,
                        newest.get("size_bytes") instanceof Number n ? n.longValue() : null))
                .setParameter("sha", new TypedParameterValue<>(StandardBasicTypes.STRING, StatusFields.text(newest.get("sha256"))))
                .setParameter("verified", new TypedParameterValue<>(StandardBasicTypes.BOOLEAN,
                        newest.get("verified") instanceof Boolean b ? b : null))
                .setParameter("encrypted", new TypedParameterValue<>(StandardBasicTypes.BOOLEAN,
                        newest.get("encrypted") instanceof Boolean b ? b : null))
                .executeUpdate();
    }

    private static Instant instant(Object value) {
        try {
            return value instanceof String s ? Instant.parse(s) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
