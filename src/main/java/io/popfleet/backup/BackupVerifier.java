package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/**
 * Re-reads every stored archive (restic's {@code check --read-data}): decrypts it and compares the sha256 of the
 * plaintext with the one recorded when it was pulled. A missing file, one that no longer opens (altered ciphertext
 * fails its GCM tag) or a wrong hash marks the archive {@code verify_ok = false}; the alert rule
 * {@code backup_corrupt} then fires for its node, and the node's newest good copy is what the fleet page shows.
 */
@ApplicationScoped
public class BackupVerifier {

    /**
     * What one pass found.
     *
     * @param testRestored archives of the sample restored into a scratch node ({@link ScratchRestore})
     * @param testRestoreFailed those whose identity did not come back byte-identical (now failed, alerted)
     */
    public record Report(int checked, int failed, int testRestored, int testRestoreFailed) {
    }

    @Inject
    EntityManager em;

    @Inject
    BackupService backups;

    @Inject
    AuditLog audit;

    @Inject
    ScratchRestore scratch;

    public Report verifyAll(String actor) {
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select id from backup_archive order by id").getResultList().stream()
                .map(id -> ((Number) id).longValue()).toList());
        int failed = 0;
        for (long id : ids) {
            if (!verify(id)) {
                failed++;
            }
        }
        int bad = failed;
        ScratchRestore.Sample sample = scratch.sample();
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "backup.verify", "store",
                bad == 0 && sample.failed() == 0 ? AuditLog.OK : AuditLog.FAILED, Map.of("checked", ids.size(),
                        "failed", bad, "testRestored", sample.restored(), "testRestoreFailed", sample.failed())));
        return new Report(ids.size(), failed, sample.restored(), sample.failed());
    }

    /** Re-hashes one archive and records the outcome; answers whether it matched. */
    public boolean verify(long archiveId) {
        String expected = QuarkusTransaction.requiringNew().call(() -> SqlRow.single(SqlRow.query(em,
                "select sha256 from backup_archive where id = :id").setParameter("id", archiveId)).text("sha256"));
        String failure = null;
        try (InputStream in = new DigestInputStream(backups.open(archiveId), sha256())) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            String actual = HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
            if (!actual.equals(expected)) {
                failure = "sha256 is " + actual + ", recorded " + expected;
            }
        } catch (BackupStore.Unavailable e) {
            // the store is down, not this archive: the pass stops and records nothing, or every copy would turn bad
            throw new StoreUnavailableProblem(e);
        } catch (IOException e) {
            failure = e.getMessage();
        }
        String why = failure;
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_archive set verified_at ="
                + " now(), verify_ok = :ok, verify_failure = :why where id = :id").setParameter("ok", why == null)
                .setParameter("why", new org.hibernate.query.TypedParameterValue<>(
                        org.hibernate.type.StandardBasicTypes.STRING, why))
                .setParameter("id", archiveId).executeUpdate());
        return failure == null;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
