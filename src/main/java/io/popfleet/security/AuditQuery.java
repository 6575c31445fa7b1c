package io.popfleet.security;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.popfleet.api.BadRequestProblem;

/**
 * Which audit events to show: every field optional, all given ones must match. {@code node} matches events that
 * concern that node; {@code from} is inclusive, {@code to} exclusive.
 */
public record AuditQuery(String actor, String action, String outcome, String node, Instant from, Instant to) {

    public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null);
    static final Set<String> OUTCOMES = Set.of(AuditLog.OK, AuditLog.FAILED, AuditLog.REFUSED);

    /** From request parameters: blank means "any"; a bad outcome or time is a 400 naming the parameter. */
    public static AuditQuery of(String actor, String action, String outcome, String node, String from, String to) {
        String chosenOutcome = blankToNull(outcome);
        if (chosenOutcome != null && !OUTCOMES.contains(chosenOutcome)) {
            throw new BadRequestProblem("invalid-filter", "outcome must be ok, failed or refused");
        }
        Instant start = time("from", from);
        Instant end = time("to", to);
        if (start != null && end != null && !start.isBefore(end)) {
            throw new BadRequestProblem("invalid-filter", "from must be before to");
        }
        return new AuditQuery(blankToNull(actor), blankToNull(action), chosenOutcome, blankToNull(node), start, end);
    }

    /** The SQL condition (never containing a value) and its bind parameters. */
    record Where(String sql, Map<String, Object> params) {
    }

    Where where() {
        StringBuilder sql = new StringBuilder("true");
        Map<String, Object> params = new LinkedHashMap<>();
        if (actor != null) {
            sql.append(" and actor = :actor");
            params.put("actor", actor);
        }
        if (action != null) {
            sql.append(" and action = :action");
            params.put("action", action);
        }
        if (outcome != null) {
            sql.append(" and outcome = :outcome");
            params.put("outcome", outcome);
        }
        if (node != null) {
            sql.append(" and nodes @> array[cast(:node as text)]");
            params.put("node", node);
        }
        if (from != null) {
            sql.append(" and at >= :from");
            params.put("from", OffsetDateTime.ofInstant(from, java.time.ZoneOffset.UTC));
        }
        if (to != null) {
            sql.append(" and at < :to");
            params.put("to", OffsetDateTime.ofInstant(to, java.time.ZoneOffset.UTC));
        }
        return new Where(sql.toString(), params);
    }

    /** The filters as query parameters, for links that keep them (pager, export). */
    public List<Map.Entry<String, String>> parameters() {
        Map<String, String> out = new LinkedHashMap<>();
        putIf(out, "actor", actor);
        putIf(out, "action", action);
        putIf(out, "outcome", outcome);
        putIf(out, "node", node);
        putIf(out, "from", from == null ? null : from.toString());
        putIf(out, "to", to == null ? null : to.toString());
        return List.copyOf(out.entrySet());
    }

    private static void putIf(Map<String, String> map, String key, String value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    /** An ISO-8601 instant ({@code 2026-01-31T12:00:00Z}) or date-time with offset; a date alone means midnight UTC. */
    private static Instant time(String name, String text) {
        String value = blankToNull(text);
        if (value == null) {
            return null;
        }
        try {
            if (value.length() == 10) {
                return java.time.LocalDate.parse(value).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadRequestProblem("invalid-filter", name + " must be an ISO-8601 time such as"
                    + " 2026-01-31T12:00:00Z or a date such as 2026-01-31");
        }
    }
}
