package io.popfleet.ssh;

import java.time.Duration;

import org.apache.sshd.client.session.ClientSession;

/** One channel's right to use a pooled session; {@link #release()} exactly once. */
record SessionLease(ClientSession session, Duration connect, Duration auth, boolean reused, Runnable releaser) {

    void release() {
        releaser.run();
    }
}
