package io.popfleet.ssh;

import java.time.Duration;

import org.apache.sshd.client.session.ClientSession;

/** An authenticated session and what it cost to get it. */
record OpenedSession(ClientSession session, Duration connect, Duration auth) {
}
