package io.popfleet.security;

/** A sealed secret that cannot be opened; its message never contains secret material. */
public class SecretUnreadableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SecretUnreadableException(String message) {
        super(message);
    }
}
