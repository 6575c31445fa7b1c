package io.popfleet.ssh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.popfleet.api.FailureKind;
import io.popfleet.testing.Fault;
import io.popfleet.testing.SshTestFleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class JumpHostTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(3);

    SshEngine engine;

    @BeforeEach
    void start() {
        engine = SshEngine.start(SshSettings.defaults().withLimits(SshEngineTest.SHORT), FLEET.pinnedHostKeys(),
                FLEET.credentials());
    }

    @AfterEach
    void stop() {
        engine.close();
    }

    @Test
    void nodeBehindABastionIsReachedThroughTheBastionsPooledSession() throws Exception {
        SshTarget bastion = FLEET.target(0);
        ExecResult first = engine.exec(FLEET.target(1).via(bastion), "pwd").get(10, TimeUnit.SECONDS);
        ExecResult second = engine.exec(FLEET.target(2).via(bastion), "pwd").get(10, TimeUnit.SECONDS);

        assertThat(first.ok()).as("%s", first).isTrue();
        assertThat(first.stdout().trim()).isEqualTo(FLEET.node(1).home().toRealPath().toString());
        assertThat(second.stdout().trim()).isEqualTo(FLEET.node(2).home().toRealPath().toString());
        assertThat(engine.openSessions()).isEqualTo(3);
    }

    @Test
    void bastionStaysOpenWhileItCarriesSessionsAndExpiresAfterThem() throws Exception {
        SshSettings quickExpiry = SshSettings.defaults().withLimits(SshEngineTest.SHORT)
                .withSessionIdleTimeout(Duration.ofMillis(1500));
        try (SshEngine expiring = SshEngine.start(quickExpiry, FLEET.pinnedHostKeys(), FLEET.credentials())) {
            SshTarget behind = FLEET.target(1).via(FLEET.target(0));
            expiring.exec(behind, "true").get(10, TimeUnit.SECONDS);
            // Idle time is what this test is about, not synchronisation: 1 s of it stays under the 1.5 s timeout.
            Thread.sleep(1000);
            ExecResult stillPooled = expiring.exec(behind, "true").get(10, TimeUnit.SECONDS);

            assertThat(stillPooled.timings().reusedSession()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> expiring.openSessions() == 0);
        }
    }

    @Test
    void nodeBehindABastionIsCheckedAgainstItsOwnPinnedKey() throws Exception {
        FLEET.inject(1, Fault.WRONG_HOST_KEY);

        ExecResult result = engine.exec(FLEET.target(1).via(FLEET.target(0)), "true").get(10, TimeUnit.SECONDS);

        assertThat(result.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
    }

    @Test
    void bastionFailuresAreTheNodesFailures() throws Exception {
        FLEET.inject(0, Fault.AUTH_FAILURE);

        ExecResult result = engine.exec(FLEET.target(1).via(FLEET.target(0)), "true").get(10, TimeUnit.SECONDS);

        assertThat(result.failure()).isEqualTo(FailureKind.AUTH_FAILED);
    }

    @Test
    void unreachableNodeBehindAWorkingBastionIsUnreachable() throws Exception {
        FLEET.inject(1, Fault.REFUSE_CONNECTION);

        ExecResult result = engine.exec(FLEET.target(1).via(FLEET.target(0)), "true").get(10, TimeUnit.SECONDS);

        assertThat(result.failure()).isEqualTo(FailureKind.UNREACHABLE);
    }
}
