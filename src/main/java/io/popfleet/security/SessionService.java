package io.popfleet.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;

/**
 * Server-side sessions. The browser holds a random id; the database holds its SHA-256, so a copy of the
 * database opens no session. A session ends when idle too long, at its absolute expiry, at logout, or when its user
 * is disabled or gets a new password.
 */
@ApplicationScoped
public class SessionService {

    /** last_seen_at is written at most this often, so busy pages do not write on every request. */
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(30);

    @Inject
    ClusterJobs cluster;

    @Inject
    SecurityConfig config;

    @Inject
    AuditLog audit;

    /** Opens a session for an authenticated user; returns the cookie value, which is not kept. */
    @Transactional
    public String open(String username, String address) {
        AppUser user = AppUser.byName(username).orElseThrow();
        String secret = Secrets.random("");
        Instant now = Instant.now();
        UserSession session = new UserSession();
        session.idHash = Secrets.sha256(secret);
        session.user = user;
        session.createdAt = now;
        session.lastSeenAt = now;
        session.expiresAt = now.plus(config.sessionAbsoluteTimeout());
        session.address = address;
        session.persist();
        audit.record(user.username, "auth.login", user.username, AuditLog.OK,
                address == null ? Map.of() : Map.of("address", address));
        return secret;
    }

    @Transactional
    public Optional<Authenticated> resolve(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) {
            return Optional.empty();
        }
        UserSession session = UserSession.findById(Secrets.sha256(secret));
        Instant now = Instant.now();
        if (session == null || session.user.disabled || !now.isBefore(session.expiresAt)
                || !now.isBefore(session.lastSeenAt.plus(config.sessionIdleTimeout()))) {
            return Optional.empty();
        }
        if (now.isAfter(session.lastSeenAt.plus(TOUCH_EVERY))) {
            session.lastSeenAt = now;
        }
        return Optional.of(new Authenticated(session.user.username, session.user.role(), "session"));
    }

    /** Ends the session with this cookie value; true when there was one. */
    @Transactional
    public boolean close(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 100) {
            return false;
        }
        UserSession session = UserSession.findById(Secrets.sha256(secret));
        if (session == null) {
            return false;
        }
        audit.record(session.user.username, "auth.logout", session.user.username, AuditLog.OK, Map.of());
        session.delete();
        return true;
    }

    @Scheduled(every = "10m", delayed = "1m")
    @Transactional
    void purgeExpired() {
        if (!cluster.claimInTransaction(ClusterJob.SESSION_PURGE)) {
            return; // another controller is purging the same rows right now
        }
        Instant now = Instant.now();
        UserSession.delete("expiresAt < ?1 or lastSeenAt < ?2", now, now.minus(config.sessionIdleTimeout()));
    }
}
