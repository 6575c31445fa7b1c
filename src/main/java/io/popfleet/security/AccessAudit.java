package io.popfleet.security;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Records refusals (forbidden, a bad token) in the audit trail. They are decided on the HTTP event loop, where
 * no database write may block, so the row is written on a worker thread, in its own transaction.
 */
@ApplicationScoped
public class AccessAudit {

    private static final Logger LOG = Logger.getLogger(AccessAudit.class);

    @Inject
    AuditLog audit;

    public void refused(String actor, String action, String target, Map<String, ?> details) {
        Infrastructure.getDefaultWorkerPool().execute(() -> {
            try {
                audit.recordAlone(actor, action, target, AuditLog.REFUSED, details);
            } catch (RuntimeException e) {
                LOG.warnf("could not audit refused %s on %s: %s", action, target, e.getMessage());
            }
        });
    }
}
