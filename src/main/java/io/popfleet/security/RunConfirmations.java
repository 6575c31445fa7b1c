package io.popfleet.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * Server-issued, single-use confirmations for mutating runs. The new-run page shows the node count with a token
 * bound to exactly what would run (operation, arguments, selection, count); starting the run consumes it. A
 * token is spent by any attempt to use it, so a replay, or one sent with another selection, is refused.
 */
@ApplicationScoped
public class RunConfirmations {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    HttpConfig config;

    /**
     * A new token for this subject.
     *
     * @param subject what the operator confirms, in a canonical text form built by the caller (see
     *        {@link #subject})
     */
    @Transactional
    public String issue(String subject, long nodeCount, String actor) {
        Instant now = Instant.now();
        // Every refresh of the count issues a token; spent and stale ones go here, so the table stays small.
        Panache.getEntityManager().createNativeQuery("delete from run_confirmation where expires_at < :now")
                .setParameter("now", Timestamp.from(now)).executeUpdate();
        byte[] raw = new byte[24];
        RANDOM.nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Panache.getEntityManager().createNativeQuery("insert into run_confirmation (token_hash, subject, node_count,"
                + " issued_to, issued_at, expires_at) values (:hash, :subject, :count, :actor, :now, :expires)")
                .setParameter("hash", sha256(token)).setParameter("subject", sha256(subject + "\n" + nodeCount))
                .setParameter("count", nodeCount).setParameter("actor", actor)
                .setParameter("now", Timestamp.from(now))
                .setParameter("expires", Timestamp.from(now.plus(config.confirmationTtl()))).executeUpdate();
        return token;
    }

    /**
     * Spends the token, whatever the outcome: a token sent with another selection is as used as one that started
     * a run, so nobody can probe with it.
     *
     * @return whether it was issued for exactly this subject and count and had not expired or been used
     */
    @Transactional
    public boolean consume(String token, String subject, long nodeCount) {
        if (token == null || token.isBlank() || token.length() > 100) {
            return false;
        }
        @SuppressWarnings("unchecked")
        List<Object[]> spent = Panache.getEntityManager().createNativeQuery("delete from run_confirmation"
                + " where token_hash = :hash returning subject, expires_at")
                .setParameter("hash", sha256(token)).getResultList();
        if (spent.isEmpty()) {
            return false;
        }
        Object[] row = spent.get(0);
        Instant expires = row[1] instanceof Timestamp ts ? ts.toInstant() : (Instant) row[1];
        return sha256(subject + "\n" + nodeCount).equals(row[0]) && expires.isAfter(Instant.now());
    }

    /** The canonical text of a confirmation's subject: each part on its own line, lists in a stable order. */
    public static String subject(String command, List<String> arguments, List<String> selectionParts) {
        StringBuilder text = new StringBuilder(command);
        arguments.forEach(a -> text.append("\narg ").append(a.replace("\n", "\\n")));
        selectionParts.forEach(p -> text.append("\nsel ").append(p.replace("\n", "\\n")));
        return text.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
