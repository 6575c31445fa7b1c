package io.popfleet.ssh;

/** An argument that cannot reach a remote shell byte-identical; refused before anything is sent. */
public class UnsafeArgumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UnsafeArgumentException(String message) {
        super(message);
    }
}
