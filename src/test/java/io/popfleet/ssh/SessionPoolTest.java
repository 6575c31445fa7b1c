package io.popfleet.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.popfleet.testing.SshTestFleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SessionPoolTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(2);

    @Test
    void idleSessionsAreClosedAfterTheIdleTimeout() throws Exception {
        SshSettings settings = SshSettings.defaults().withSessionIdleTimeout(Duration.ofMillis(300));
        try (SshEngine engine = SshEngine.start(settings, FLEET.pinnedHostKeys(), FLEET.credentials())) {
            engine.exec(FLEET.target(0), "true").get(10, TimeUnit.SECONDS);
            assertThat(engine.openSessions()).isEqualTo(1);

            await("the idle session to close").atMost(Duration.ofSeconds(5)).until(engine::openSessions,
                    open -> open == 0);

            assertThat(engine.exec(FLEET.target(0), "true").get(10, TimeUnit.SECONDS).timings().reusedSession())
                    .isFalse();
        }
    }

    @Test
    void manyConcurrentOperationsOnOneNodeOpenOneSession() throws Exception {
        try (SshEngine engine = SshEngine.start(SshSettings.defaults(), FLEET.pinnedHostKeys(),
                FLEET.credentials())) {
            List<ExecFuture> running = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                running.add(engine.exec(FLEET.target(1), "echo " + i));
            }
            for (int i = 0; i < running.size(); i++) {
                assertThat(running.get(i).get(20, TimeUnit.SECONDS).stdout()).isEqualTo(i + "\n");
            }

            assertThat(engine.openSessions()).isEqualTo(1);
        }
    }

    @Test
    void engineThreadsDoNotGrowWithTheNumberOfOperationsInFlight() throws Exception {
        long before = engineThreads().size();
        try (SshEngine engine = SshEngine.start(SshSettings.defaults(), FLEET.pinnedHostKeys(),
                FLEET.credentials())) {
            List<ExecFuture> running = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                running.add(engine.exec(FLEET.target(i % 2), "sleep 0.3"));
            }
            // Count the threads while operations are in flight on both nodes' sessions.
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                    .until(engine::openSessions, open -> open == 2);
            List<String> engineThreads = engineThreads();
            assertThat(running).as("operations still in flight").anyMatch(future -> !future.isDone());
            for (ExecFuture future : running) {
                assertThat(future.get(20, TimeUnit.SECONDS).ok()).isTrue();
            }

            // 2 NIO workers (+2 MINA resume threads), MINA's timer, our timer and stdin writer: a fixed set, not
            // one per node or per operation (other engines of this JVM may still be winding down: hence "before")
            assertThat(engineThreads.size() - before).as("%s", engineThreads).isLessThanOrEqualTo(8);
        }
    }

    private static List<String> engineThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("popfleet-ssh") || name.contains("SshClient")).toList();
    }
}
