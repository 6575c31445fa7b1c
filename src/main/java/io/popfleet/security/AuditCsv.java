package io.popfleet.security;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The audit trail as RFC 4180 CSV that a spreadsheet opens without running anything: every cell is quoted, and a
 * cell that starts with {@code = + - @} (or a tab or carriage return, which some spreadsheets skip before
 * looking) gets a leading {@code '} so it is read as text, never as a formula (OWASP's CSV injection advice).
 */
final class AuditCsv {

    static final String HEADER = "id,at,actor,source,action,target,nodes,outcome,details";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditCsv() {
    }

    static String write(List<AuditResource.AuditEntry> entries) {
        StringBuilder out = new StringBuilder(HEADER).append("\r\n");
        for (AuditResource.AuditEntry e : entries) {
            out.append(String.join(",", List.of(cell(String.valueOf(e.id())), cell(e.at().toString()),
                    cell(e.actor()), cell(e.source()), cell(e.action()), cell(e.target()),
                    cell(e.nodes() == null ? "" : String.join(" ", e.nodes())), cell(e.outcome()),
                    cell(json(e.details()))))).append("\r\n");
        }
        return out.toString();
    }

    static String cell(String value) {
        String text = value == null ? "" : value;
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    private static String json(Map<String, Object> details) {
        try {
            return JSON.writeValueAsString(details == null ? Map.of() : details);
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }
}
