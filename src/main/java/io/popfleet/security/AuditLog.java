package io.popfleet.security;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Writes the audit trail. Callers record inside their own transaction, so an action and its audit row commit or
 * roll back together; {@link #recordAlone} is for outcomes that must be kept even when the action's transaction
 * rolls back (a refused import, a rejected host key).
 */
@ApplicationScoped
public class AuditLog {

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";

    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent record(String actor, String action, String target, String outcome, Map<String, ?> details) {
        return insert(actor, action, target, outcome, details);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AuditEvent recordAlone(String actor, String action, String target, String outcome,
            Map<String, ?> details) {
        return insert(actor, action, target, outcome, details);
    }

    private static AuditEvent insert(String actor, String action, String target, String outcome,
            Map<String, ?> details) {
        AuditEvent event = new AuditEvent();
        event.at = Instant.now();
        event.actor = actor;
        event.action = action;
        event.target = target;
        event.outcome = outcome;
        event.details = details == null ? Map.of() : new LinkedHashMap<>(details);
        event.persist();
        return event;
    }
}
