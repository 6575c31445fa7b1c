package io.popfleet.ssh;

import java.util.Locale;

/** Why a remote step did not yield a zero exit. The codes are stable: they are stored, shown and documented. */
public enum FailureKind {
    UNREACHABLE,
    AUTH_FAILED,
    HOSTKEY_MISMATCH,
    TIMEOUT,
    NONZERO_EXIT,
    BAD_OUTPUT,
    CANCELLED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether repeating the same read could plausibly succeed; mutating operations are never retried blindly. */
    public boolean retryable() {
        return this == UNREACHABLE || this == TIMEOUT;
    }
}
