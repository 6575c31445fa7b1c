package io.popfleet.ssh;

import io.popfleet.api.FailureKind;

/**
 * The outcome of one remote command. A nonzero exit is a result with {@code failure == NONZERO_EXIT}, never an
 * exception; {@code exitCode} is null when the command never finished (unreachable, timeout, ...).
 */
public record ExecResult(Integer exitCode, String stdout, String stderr, boolean stdoutTruncated,
        boolean stderrTruncated, PhaseTimings timings, FailureKind failure, String message) {

    public boolean ok() {
        return failure == null;
    }

    static ExecResult failed(FailureKind kind, String message, PhaseTimings timings) {
        return new ExecResult(null, "", "", false, false, timings, kind, message);
    }

    /** The last characters of stderr, for a failure summary that stays small. */
    public String stderrTail(int chars) {
        return stderr.length() <= chars ? stderr : stderr.substring(stderr.length() - chars);
    }
}
