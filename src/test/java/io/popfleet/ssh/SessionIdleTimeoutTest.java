package io.popfleet.ssh;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SessionIdleTimeoutTest {

    @Test
    void sessionsOutliveTheLongestGapBetweenTwoPollsOfANode() {
        Duration interval = Duration.ofMinutes(5);
        double jitter = 0.1;
        // one poll moved early by the jitter, the next late: the longest gap the poller's schedule allows
        Duration longestGap = Duration.ofMillis((long) (interval.toMillis() * (1 + 2 * jitter)));

        assertThat(SshSettings.idleTimeoutFor(interval, jitter)).isGreaterThan(longestGap);
        assertThat(SshSettings.idleTimeoutFor(Duration.ofMinutes(30), 0.2))
                .isGreaterThan(Duration.ofMinutes(30).multipliedBy(14).dividedBy(10));
    }

    @Test
    void theDefaultIdleTimeoutIsDerivedFromTheDefaultPollInterval() {
        assertThat(SshSettings.defaults().sessionIdleTimeout())
                .isEqualTo(SshSettings.idleTimeoutFor(Duration.ofMinutes(5), 0.1))
                .isGreaterThan(Duration.ofMinutes(5));
    }
}
