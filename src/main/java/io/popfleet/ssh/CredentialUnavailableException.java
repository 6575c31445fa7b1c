package io.popfleet.ssh;

/** A credential that is missing or cannot be opened; the node fails as {@code auth_failed} without connecting. */
public class CredentialUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CredentialUnavailableException(String message) {
        super(message);
    }

    public CredentialUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
