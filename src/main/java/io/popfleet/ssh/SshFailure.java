package io.popfleet.ssh;

import io.popfleet.api.FailureKind;

/** A classified failure travelling through the engine's futures; turned into an {@link ExecResult} at the end. */
final class SshFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    final FailureKind kind;

    SshFailure(FailureKind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }
}
