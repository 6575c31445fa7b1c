package io.popfleet.backup;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;
import io.popfleet.security.SecretBox;

/**
 * The envelope keys of the backup store. Each archive has its own data key; that key is kept wrapped
 * (AES-256-GCM, bound to the archive's sha256) by a key-encryption key, and the key-encryption keys are sealed with
 * the controller's master key ({@link SecretBox}) in {@code backup_key}. Rotation makes a new key-encryption key and
 * re-wraps every data key with it: rows change, archive files are never read or rewritten.
 */
@ApplicationScoped
public class BackupKeys {

    /** A wrapped data key and the id of the key that wrapped it. */
    record Wrapped(String keyId, byte[] wrapped) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    @Inject
    SecretBox master;

    @Inject
    AuditLog audit;

    private final Map<String, SecretKey> opened = new ConcurrentHashMap<>();

    @Transactional
    Wrapped wrap(SecretKey dataKey, String sha256) {
        String id = activeId();
        return new Wrapped(id, new SecretBox(kek(id)).seal(dataKey.getEncoded(), context(sha256)));
    }

    @Transactional
    SecretKey unwrap(String keyId, byte[] wrapped, String sha256) {
        return new SecretKeySpec(new SecretBox(kek(keyId)).open(wrapped, context(sha256)), "AES");
    }

    /** The active key's id, making the first one when there is none (two controllers racing make one). */
    @Transactional
    public String activeId() {
        List<?> active = em.createNativeQuery("select id from backup_key where active").getResultList();
        if (!active.isEmpty()) {
            return (String) active.get(0);
        }
        insertKey(newId(), true);
        return (String) em.createNativeQuery("select id from backup_key where active").getSingleResult();
    }

    /**
     * Makes a new active key and re-wraps every archive's data key with it, in one transaction: archives are
     * readable under the old key until it commits, under the new one after. Answers how many were re-wrapped.
     */
    @Transactional
    public int rotate(String actor) {
        String old = activeId();
        em.createNativeQuery("select id from backup_key for update").getResultList();
        String fresh = newId();
        em.createNativeQuery("update backup_key set active = false where active").executeUpdate();
        insertKey(fresh, true);
        SecretBox newBox = new SecretBox(kek(fresh));
        int count = 0;
        for (SqlRow row : SqlRow.list(SqlRow.query(em, "select id, sha256, key_id, wrapped_key from backup_archive"
                + " where key_id <> :fresh order by id").setParameter("fresh", fresh))) {
            byte[] wrapped = (byte[]) row.tuple().get("wrapped_key");
            String sha = row.text("sha256");
            byte[] dataKey = new SecretBox(kek(row.text("key_id"))).open(wrapped, context(sha));
            em.createNativeQuery("update backup_archive set key_id = :key, wrapped_key = :wrapped where id = :id")
                    .setParameter("key", fresh).setParameter("wrapped", newBox.seal(dataKey, context(sha)))
                    .setParameter("id", row.whole("id")).executeUpdate();
            count++;
        }
        audit.record(actor, "backup.key.rotate", fresh, AuditLog.OK, Map.of("previous", old, "rewrapped", count));
        // no row needs the retired keys any more: drop them from the cache (one that is still asked for is read again)
        opened.keySet().removeIf(id -> !id.equals(fresh));
        return count;
    }

    private void insertKey(String id, boolean active) {
        byte[] kek = new byte[32];
        RANDOM.nextBytes(kek);
        em.createNativeQuery("insert into backup_key (id, sealed, active) values (:id, :sealed, :active)"
                + " on conflict do nothing").setParameter("id", id)
                .setParameter("sealed", master.seal(kek, "backup_key:" + id)).setParameter("active", active)
                .executeUpdate();
    }

    private SecretKey kek(String id) {
        return opened.computeIfAbsent(id, key -> {
            byte[] sealed = (byte[]) em.createNativeQuery("select sealed from backup_key where id = :id")
                    .setParameter("id", key).getSingleResult();
            return new SecretKeySpec(master.open(sealed, "backup_key:" + key), "AES");
        });
    }

    private static String context(String sha256) {
        return "backup_archive:" + sha256;
    }

    private static String newId() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "bk-" + HexFormat.of().formatHex(bytes);
    }
}
