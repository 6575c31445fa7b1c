package io.popfleet.ssh;

import io.popfleet.api.ProblemException;

/** An operator request the SSH feature refuses; shown as problem details with a stable code. */
public class SshRequestException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public SshRequestException(int status, String code, String message) {
        super(code, title(status), status, message, null);
    }

    private static String title(int status) {
        return switch (status) {
            case 404 -> "Not found";
            case 409 -> "Conflict";
            default -> "Bad request";
        };
    }
}
