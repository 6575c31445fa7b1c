package io.popfleet.ssh;

import java.time.Duration;

/** How long each phase took; connect and auth are zero when a pooled session was reused. */
public record PhaseTimings(Duration connect, Duration auth, Duration exec, boolean reusedSession) {

    public Duration total() {
        return connect.plus(auth).plus(exec);
    }
}
