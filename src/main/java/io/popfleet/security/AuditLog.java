package io.popfleet.security;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.arc.Arc;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Writes the audit trail. Callers record inside their own transaction, so an action and its audit row commit or
 * roll back together; {@link #recordAlone} is for outcomes that must be kept even when the action's transaction
 * rolls back (a refused import, a rejected host key). The caller's address is taken from the current HTTP request,
 * if there is one. The table is append-only in the database; only {@link #purgeBefore} removes rows.
 */
@ApplicationScoped
public class AuditLog {

    public static final String OK = "ok";
    public static final String FAILED = "failed";
    public static final String REFUSED = "refused";
    /** Node names kept per event: a run over 10,000 nodes keeps the first ones and the count in its details. */
    public static final int MAX_NODES = 1000;
    /** Longest text kept in any field: audit rows repeat what clients sent, and clients may send anything. */
    static final int MAX_TEXT = 500;

    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent record(String actor, String action, String target, String outcome, Map<String, ?> details) {
        return insert(actor, action, target, impliedNodes(action, target), outcome, details);
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public AuditEvent record(String actor, String action, String target, Collection<String> nodes, String outcome,
            Map<String, ?> details) {
        return insert(actor, action, target, nodes, outcome, details);
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AuditEvent recordAlone(String actor, String action, String target, String outcome,
            Map<String, ?> details) {
        return insert(actor, action, target, impliedNodes(action, target), outcome, details);
    }

    /**
     * A refused request, recorded on its own with the caller and address captured by whoever saw the request:
     * refusals at the boundary happen on an I/O thread, where no transaction may start, so they are written from
     * a worker thread that has no request to read them from.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public AuditEvent recordRefusal(String actor, String source, String action, String target,
            Map<String, ?> details) {
        return insert(actor, source, action, target, List.of(), REFUSED, details);
    }

    /** Retention: removes events older than {@code cutoff} through the database's one allowed delete. */
    @Transactional
    public long purgeBefore(Instant cutoff, String actor) {
        long removed = ((Number) AuditEvent.getEntityManager()
                .createNativeQuery("select audit_purge_before(cast(:cutoff as timestamptz))")
                .setParameter("cutoff", java.time.OffsetDateTime.ofInstant(cutoff, java.time.ZoneOffset.UTC))
                .getSingleResult()).longValue();
        insert(actor, "audit.purge", null, List.of(), OK, Map.of("before", cutoff.toString(), "removed", removed));
        return removed;
    }

    /** Node and host-key actions target one node by name. */
    private static List<String> impliedNodes(String action, String target) {
        return target != null && (action.startsWith("node.") || action.startsWith("hostkey.")) ? List.of(target)
                : List.of();
    }

    private static AuditEvent insert(String actor, String action, String target, Collection<String> nodes,
            String outcome, Map<String, ?> details) {
        return insert(actor, sourceAddress(), action, target, nodes, outcome, details);
    }

    private static AuditEvent insert(String actor, String source, String action, String target,
            Collection<String> nodes, String outcome, Map<String, ?> details) {
        AuditEvent event = new AuditEvent();
        event.at = Instant.now();
        event.actor = clean(actor);
        event.action = clean(action);
        event.target = clean(target);
        event.outcome = outcome;
        event.source = clean(source);
        event.nodes = nodes == null ? new String[0]
                : nodes.stream().limit(MAX_NODES).map(AuditLog::clean).toArray(String[]::new);
        event.details = new LinkedHashMap<>();
        if (details != null) {
            details.forEach((key, value) -> event.details.put(clean(key), cleanValue(value)));
        }
        event.persist();
        return event;
    }

    /** The address of the HTTP request being served, if any (with proxy forwarding on, the forwarded one). */
    private static String sourceAddress() {
        if (!Arc.container().requestContext().isActive()) {
            return null;
        }
        RoutingContext context = Arc.container().instance(CurrentVertxRequest.class).get().getCurrent();
        if (context == null || context.request().remoteAddress() == null) {
            return null;
        }
        return context.request().remoteAddress().hostAddress();
    }

    /**
     * Text as PostgreSQL can store it: U+0000 (refused by both text and jsonb) becomes U+FFFD, and long values are
     * cut, so recording a refused hostile request can never fail in turn.
     */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        String safe = text.replace('\0', '\uFFFD');
        return safe.length() > MAX_TEXT ? safe.substring(0, MAX_TEXT) + "…" : safe;
    }

    private static Object cleanValue(Object value) {
        if (value instanceof String text) {
            return clean(text);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(clean(String.valueOf(k)), cleanValue(v)));
            return copy;
        }
        if (value instanceof Collection<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(v -> copy.add(cleanValue(v)));
            return copy;
        }
        return value;
    }
}
