package io.popfleet.ssh;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
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
    static final SshTestFleet FLEET = SshTestFleet.ofSize(3).bannerDelay(Duration.ofMillis(400));

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
    void bastionStaysOpenWhileItCarriesALongCommandAndExpiresAfterIt() throws Exception {
        // The idle timeout is far shorter than the command: a bastion counted idle while it carries the node's
        // session would be closed under the running command.
        SshSettings quickExpiry = SshSettings.defaults()
                .withLimits(SshEngineTest.SHORT.withExecTimeout(Duration.ofSeconds(10)))
                .withSessionIdleTimeout(Duration.ofMillis(200));
        try (SshEngine expiring = SshEngine.start(quickExpiry, FLEET.pinnedHostKeys(), FLEET.credentials())) {
            SshTarget behind = FLEET.target(1).via(FLEET.target(0));

            ExecResult longCommand = expiring.exec(behind, "sleep 2; echo done").get(15, TimeUnit.SECONDS);

            assertThat(longCommand.ok()).as("%s", longCommand).isTrue();
            assertThat(longCommand.stdout()).isEqualTo("done\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> expiring.openSessions() == 0);
        }
    }

    @Test
    void idleBastionIsNotExpiredWhileANewNodeConnectsThroughIt() throws Exception {
        SshSettings settings = SshSettings.defaults().withLimits(SshEngineTest.SHORT);
        SshClient client = SshClients.create(settings,
                new PinnedHostKeyVerifier(FLEET.pinnedHostKeys(), settings.hostKeyPolicy()));
        client.start();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        SessionPool pool = new SessionPool(new SessionConnector(client, FLEET.credentials(), timer, 4), 4);
        try {
            SshTarget bastion = FLEET.target(0);
            pool.lease(bastion, settings.limits()).get(10, TimeUnit.SECONDS).release();
            FLEET.inject(2, Fault.DELAY_BANNER);

            // the node's banner comes late; every sweep meanwhile finds the bastion with no channel of its own
            CompletableFuture<SessionLease> behind = pool.lease(FLEET.target(2).via(bastion), settings.limits());
            while (!behind.isDone()) {
                pool.expireIdle(Duration.ZERO);
                Thread.onSpinWait();
            }

            SessionLease lease = behind.get();
            assertThat(lease.session().isOpen()).isTrue();
            lease.release();
        } finally {
            pool.closeAll();
            timer.shutdownNow();
            client.stop();
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
