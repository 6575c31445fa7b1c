package io.popfleet.api;

import java.util.Locale;

/**
 * Why a run's target did not succeed: the one vocabulary the SSH layer classifies remote steps in, the executor
 * adds its own refusals to, the database stores and the API, pages and Prometheus show. The codes are stable:
 * they are stored, shown and documented. It lives here, below every feature, because {@code ssh} produces
 * kinds, {@code runs} produces and stores them, and {@code metrics} records them; none of those may import
 * another just for the words.
 */
public enum FailureKind {
    /** No connection: refused, no route, unknown host, or the session broke. */
    UNREACHABLE,
    AUTH_FAILED,
    /** The node's host key is not the one pinned for it. */
    HOSTKEY_MISMATCH,
    /** A connect, authentication or exec step did not end within its bound. */
    TIMEOUT,
    /** The node tool answered with an error (its machine code is in the message). */
    NONZERO_EXIT,
    /** The node answered something that is not the {@code --json} contract. */
    BAD_OUTPUT,
    /** An operator cancelled the run. */
    CANCELLED,
    /** The node was removed from the inventory after the run was planned. */
    NOT_FOUND,
    /** This controller was built without the node tool bundle. */
    NO_TOOL,
    /** The node's tool is set to installed, and no such tool is on the node (nothing is uploaded in that mode). */
    TOOL_MISSING,
    /**
     * Not contacted: the controller only talks to loopback addresses (the demo, tests), or another feature holds
     * the node (a rollout) and no other change may run on it meanwhile.
     */
    NOT_ALLOWED,
    /** The controller itself failed running the target; its log has the details. */
    INTERNAL,
    /** The executor that claimed the target stopped heart-beating; what happened on the node is unknown. */
    ORPHANED;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether repeating the same read could plausibly succeed; mutating operations are never retried blindly. */
    public boolean retryable() {
        return this == UNREACHABLE || this == TIMEOUT;
    }

    public static FailureKind fromCode(String code) {
        return valueOf(code.toUpperCase(Locale.ROOT));
    }
}
