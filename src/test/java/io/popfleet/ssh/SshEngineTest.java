package io.popfleet.ssh;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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

class SshEngineTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(3).bannerDelay(Duration.ofSeconds(3));

    static final ExecLimits SHORT = new ExecLimits(Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofSeconds(1), 64 * 1024, 64 * 1024);

    InMemoryHostKeyStore hostKeys;
    SshEngine engine;

    @BeforeEach
    void startEngine() {
        hostKeys = FLEET.pinnedHostKeys();
        engine = SshEngine.start(SshSettings.defaults().withLimits(SHORT), hostKeys, FLEET.credentials());
    }

    @AfterEach
    void stopEngine() {
        engine.close();
    }

    ExecResult run(int node, String command) throws Exception {
        return run(node, command, "");
    }

    ExecResult run(int node, String command, String stdin) throws Exception {
        return engine.exec(FLEET.target(node), command, stdin.getBytes(StandardCharsets.UTF_8), SHORT)
                .get(10, TimeUnit.SECONDS);
    }

    @Test
    void pinnedHostKeyIsAcceptedAndBothStreamsComeBack() throws Exception {
        ExecResult result = run(0, "echo hello; echo warning >&2; pwd");

        assertThat(result.ok()).isTrue();
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).isEqualTo("hello\n" + FLEET.node(0).home().toRealPath() + "\n");
        assertThat(result.stderr()).isEqualTo("warning\n");
        assertThat(result.timings().reusedSession()).isFalse();
        assertThat(result.timings().connect()).isPositive();
        assertThat(result.timings().auth()).isPositive();
    }

    @Test
    void nonzeroExitIsAClassifiedResultNotAnException() throws Exception {
        ExecResult result = run(1, "echo partial; exit 7");

        assertThat(result.failure()).isEqualTo(FailureKind.NONZERO_EXIT);
        assertThat(result.exitCode()).isEqualTo(7);
        assertThat(result.stdout()).isEqualTo("partial\n");
    }

    @Test
    void stdinReachesTheCommandAndEndsWithEof() throws Exception {
        ExecResult result = run(0, "wc -c", "twelve bytes");

        assertThat(result.stdout().trim()).isEqualTo("12");
    }

    @Test
    void streamedStdinArrivesWholeAndIsOpenedAgainForEachAttempt() throws Exception {
        int size = 3 * 1024 * 1024 + 17;
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        digest.update(pattern(size).readAllBytes());
        String expected = java.util.HexFormat.of().formatHex(digest.digest());
        java.util.concurrent.atomic.AtomicInteger opened = new java.util.concurrent.atomic.AtomicInteger();

        ExecResult result = engine.exec(FLEET.target(0), "sha256sum | cut -d' ' -f1", () -> {
            opened.incrementAndGet();
            return pattern(size);
        }, SHORT).get(10, TimeUnit.SECONDS);

        assertThat(result.ok()).as("%s", result).isTrue();
        assertThat(result.stdout().trim()).isEqualTo(expected);
        assertThat(opened).hasValue(1);
    }

    @Test
    void aStdinSourceThatFailsMidwayEndsTheCommandWithoutEndOfFile() throws Exception {
        Path complete = FLEET.node(1).home().resolve("stdin-complete");
        java.io.InputStream failing = new java.io.SequenceInputStream(pattern(200_000), new java.io.InputStream() {
            @Override
            public int read() throws java.io.IOException {
                throw new java.io.IOException("stored copy altered");
            }
        });

        ExecResult result = engine.exec(FLEET.target(1), "cat > /dev/null && touch stdin-complete", () -> failing,
                SHORT).get(10, TimeUnit.SECONDS);

        assertThat(result.failure()).isEqualTo(FailureKind.INTERNAL);
        assertThat(result.message()).contains("stdin could not be read", "stored copy altered");
        assertThat(complete).doesNotExist();
    }

    /** {@code size} bytes of a repeating pattern, made as they are read. */
    private static java.io.InputStream pattern(int size) {
        return new java.io.InputStream() {
            private int at;

            @Override
            public int read() {
                return at < size ? (at++ * 31 + 7) & 0xff : -1;
            }
        };
    }

    @Test
    void secondOperationReusesThePooledSession() throws Exception {
        run(2, "true");
        ExecResult second = run(2, "true");

        assertThat(second.timings().reusedSession()).isTrue();
        assertThat(second.timings().connect()).isZero();
        assertThat(engine.openSessions()).isEqualTo(1);
    }

    @Test
    void changedHostKeyFailsWithHostkeyMismatchAndIsRecorded() throws Exception {
        FLEET.inject(1, Fault.WRONG_HOST_KEY);

        ExecResult result = run(1, "touch should-not-exist");

        assertThat(result.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
        assertThat(result.message()).contains("host key changed");
        assertThat(Files.exists(FLEET.node(1).home().resolve("should-not-exist"))).isFalse();
        assertThat(hostKeys.refusals()).singleElement()
                .satisfies(refusal -> assertThat(refusal.pinned()).isPresent());
        assertThat(hostKeys.pinned(FLEET.target(1)).orElseThrow())
                .isEqualTo(FLEET.node(1).hostKey().getPublic());
    }

    /** Counts the store's lookups: a pin the target carries spares them, any other key still meets the store. */
    static final class CountingStore implements HostKeyStore {
        final InMemoryHostKeyStore delegate;
        final java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();

        CountingStore(InMemoryHostKeyStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public java.util.Optional<java.security.PublicKey> pinned(SshTarget target) {
            lookups.incrementAndGet();
            return delegate.pinned(target);
        }

        @Override
        public java.security.PublicKey pinOnFirstUse(SshTarget target, java.security.PublicKey offered) {
            return delegate.pinOnFirstUse(target, offered);
        }

        @Override
        public void refused(SshTarget target, java.security.PublicKey offered,
                java.util.Optional<java.security.PublicKey> pinned) {
            delegate.refused(target, offered, pinned);
        }
    }

    @Test
    void aPinTheTargetCarriesIsCheckedWithoutALookupAndAStaleOneDefersToTheStore() throws Exception {
        CountingStore store = new CountingStore(FLEET.pinnedHostKeys());
        java.security.PublicKey nodeKey = FLEET.node(0).hostKey().getPublic();
        java.security.PublicKey otherKey = FLEET.node(1).hostKey().getPublic();
        try (SshEngine counted = SshEngine.start(SshSettings.defaults().withLimits(SHORT), store,
                FLEET.credentials())) {
            assertThat(counted.exec(FLEET.target(0).withPin(nodeKey), "true", new byte[0], SHORT)
                    .get(10, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(store.lookups).as("the carried pin matched").hasValue(0);
            counted.closeSessions();

            // read before a re-pin: the key the node offers now is the store's, and is accepted
            assertThat(counted.exec(FLEET.target(0).withPin(otherKey), "true", new byte[0], SHORT)
                    .get(10, TimeUnit.SECONDS).ok()).isTrue();
            assertThat(store.lookups).hasValue(1);
            assertThat(store.delegate.refusals()).isEmpty();
            counted.closeSessions();

            // a carried pin never accepts a key that is not it: the changed key meets the store and is refused
            FLEET.inject(0, Fault.WRONG_HOST_KEY);
            ExecResult changed = counted.exec(FLEET.target(0).withPin(nodeKey), "touch should-not-exist",
                    new byte[0], SHORT).get(10, TimeUnit.SECONDS);
            assertThat(changed.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
            assertThat(Files.exists(FLEET.node(0).home().resolve("should-not-exist"))).isFalse();
            assertThat(store.delegate.refusals()).hasSize(1);
        }
    }

    @Test
    void strictPolicyRefusesAnUnpinnedNodeAndKeepsTheOfferedKeyForApproval() throws Exception {
        InMemoryHostKeyStore empty = new InMemoryHostKeyStore();
        try (SshEngine strict = SshEngine.start(SshSettings.defaults().withLimits(SHORT), empty,
                FLEET.credentials())) {
            ExecResult result = strict.exec(FLEET.target(0), "true", new byte[0], SHORT).get(10, TimeUnit.SECONDS);

            assertThat(result.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
            assertThat(result.message()).contains("no pinned host key");
            assertThat(empty.refusals()).singleElement()
                    .satisfies(refusal -> assertThat(refusal.offered()).isEqualTo(FLEET.node(0).hostKey().getPublic()));
        }
    }

    @Test
    void tofuPinsTheFirstKeyOnceAndRefusesALaterChange() throws Exception {
        InMemoryHostKeyStore empty = new InMemoryHostKeyStore();
        SshSettings tofu = SshSettings.defaults().withLimits(SHORT).withHostKeyPolicy(HostKeyPolicy.TOFU);
        try (SshEngine engine = SshEngine.start(tofu, empty, FLEET.credentials())) {
            assertThat(engine.exec(FLEET.target(2), "true", new byte[0], SHORT).get(10, TimeUnit.SECONDS).ok())
                    .isTrue();
            engine.closeSessions();
            assertThat(engine.exec(FLEET.target(2), "true", new byte[0], SHORT).get(10, TimeUnit.SECONDS).ok())
                    .isTrue();
            engine.closeSessions();
            FLEET.inject(2, Fault.WRONG_HOST_KEY);
            ExecResult changed = engine.exec(FLEET.target(2), "true", new byte[0], SHORT).get(10, TimeUnit.SECONDS);

            assertThat(empty.pinnedOnFirstUse()).containsExactly(FLEET.target(2));
            assertThat(changed.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
        }
    }

    @Test
    void refusedConnectionIsUnreachable() throws Exception {
        FLEET.inject(0, Fault.REFUSE_CONNECTION);

        ExecResult result = run(0, "true");

        assertThat(result.failure()).isEqualTo(FailureKind.UNREACHABLE);
        assertThat(result.message()).isEqualTo("connection refused");
    }

    @Test
    void delayedBannerTimesOutInTheAuthPhase() throws Exception {
        FLEET.inject(1, Fault.DELAY_BANNER);

        ExecResult result = run(1, "true");

        // The banner comes after 3 s: a timeout that names the 1 s auth limit is that limit cutting the wait short
        // (no wall-clock bound here: a loaded machine may fire a timer late).
        assertThat(result.failure()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(result.message()).contains("authentication timed out after 1000 ms");
    }

    @Test
    void refusedPublicKeyIsAuthFailed() throws Exception {
        FLEET.inject(2, Fault.AUTH_FAILURE);

        assertThat(run(2, "true").failure()).isEqualTo(FailureKind.AUTH_FAILED);
    }

    @Test
    void unknownCredentialIsAuthFailedWithoutConnecting() throws Exception {
        SshTarget target = FLEET.target(0);
        SshTarget unknown = new SshTarget(target.nodeId(), target.name(), target.host(), target.port(), "pop", "nope");

        ExecResult result = engine.exec(unknown, "true", new byte[0], SHORT).get(10, TimeUnit.SECONDS);

        assertThat(result.failure()).isEqualTo(FailureKind.AUTH_FAILED);
        assertThat(result.message()).contains("unknown credential");
    }

    @Test
    void connectionDroppedMidCommandIsUnreachableAndTheNextOperationReconnects() throws Exception {
        FLEET.inject(0, Fault.DROP_MID_COMMAND);

        ExecResult dropped = run(0, "sleep 5");
        FLEET.clear(0, Fault.DROP_MID_COMMAND);
        ExecResult next = run(0, "echo back");

        assertThat(dropped.failure()).isEqualTo(FailureKind.UNREACHABLE);
        assertThat(dropped.exitCode()).isNull();
        assertThat(next.ok()).isTrue();
        assertThat(next.timings().reusedSession()).isFalse();
    }

    @Test
    void hangingCommandTimesOutInTheExecPhase() throws Exception {
        FLEET.inject(1, Fault.HANG);

        ExecResult result = run(1, "true");

        // The command never exits: only the 1 s exec limit can end it, and not before it has passed.
        assertThat(result.failure()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(result.message()).contains("command timed out after 1000 ms");
        assertThat(result.timings().exec()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void floodedOutputIsCappedFlaggedAndBadOutput() throws Exception {
        FLEET.inject(2, Fault.FLOOD_OUTPUT);

        ExecResult result = run(2, "true");

        assertThat(result.failure()).isEqualTo(FailureKind.BAD_OUTPUT);
        assertThat(result.stdoutTruncated()).isTrue();
        assertThat(result.stdout()).hasSize(64 * 1024);
    }

    @Test
    void cancellingClosesTheChannelAndYieldsCancelled() throws Exception {
        Path started = FLEET.node(0).home().resolve("cancel-started");
        ExecFuture running = engine.exec(FLEET.target(0), "touch cancel-started; sleep 30; touch too-late",
                new byte[0], SHORT.withExecTimeout(Duration.ofSeconds(60)));
        try {
            await("the command to start on the node").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(started));

            running.cancel(true);
            ExecResult result = running.get(5, TimeUnit.SECONDS);

            assertThat(result.failure()).isEqualTo(FailureKind.CANCELLED);
            assertThat(running.isCancelled()).isFalse();
        } finally {
            Files.deleteIfExists(started);
        }
    }

    @Test
    void mutatingOperationsOnOneNodeNeverOverlap() throws Exception {
        String critical = "if [ -e busy ]; then echo overlap; fi; touch busy; sleep 0.3; rm busy";
        SshTarget node = FLEET.target(1);
        CompletableFuture<ExecResult> first = engine.exclusive(node.nodeId(),
                () -> engine.exec(node, critical, new byte[0], SHORT));
        CompletableFuture<ExecResult> second = engine.exclusive(node.nodeId(),
                () -> engine.exec(node, critical, new byte[0], SHORT));

        assertThat(first.get(10, TimeUnit.SECONDS).stdout()).isEmpty();
        assertThat(second.get(10, TimeUnit.SECONDS).stdout()).isEmpty();
        assertThat(second.get().ok()).isTrue();
    }
}
