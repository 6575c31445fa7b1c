package io.popfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;

/** A problem-details answer (RFC 9457) from the controller. */
public class ApiException extends CliException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient JsonNode problem;

    public ApiException(int status, String type, String message, JsonNode problem) {
        super(exitCodeFor(status), message);
        this.status = status;
        this.type = type;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The problem type without {@code urn:popfleet:problem:}, or null for a bare status. */
    public String type() {
        return type;
    }

    public JsonNode problem() {
        return problem;
    }

    static int exitCodeFor(int status) {
        if (status == 401 || status == 403) {
            return ExitCodes.UNAUTHORIZED;
        }
        return status >= 500 ? ExitCodes.UNAVAILABLE : ExitCodes.REFUSED;
    }
}
