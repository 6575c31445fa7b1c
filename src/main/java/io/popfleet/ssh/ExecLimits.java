package io.popfleet.ssh;

import java.time.Duration;

/** Per-phase time budgets and output caps for one remote command. */
public record ExecLimits(Duration connectTimeout, Duration authTimeout, Duration execTimeout, int maxStdoutBytes,
        int maxStderrBytes) {

    public static final int ONE_MIB = 1 << 20;

    public ExecLimits withExecTimeout(Duration timeout) {
        return new ExecLimits(connectTimeout, authTimeout, timeout, maxStdoutBytes, maxStderrBytes);
    }

    public ExecLimits withMaxOutput(int bytes) {
        return new ExecLimits(connectTimeout, authTimeout, execTimeout, bytes, bytes);
    }
}
