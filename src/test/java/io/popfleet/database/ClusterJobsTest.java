package io.popfleet.database;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Once per cluster, with two callers standing in for two controllers: each has its own connection and transaction
 * to the same PostgreSQL, which is all a second controller process would have.
 */
@QuarkusTest
class ClusterJobsTest {

    /** Its only timer fires at 03:17, so no scheduled run meets these tests. */
    private static final ClusterJob JOB = ClusterJob.HISTORY_COMPACTION;

    @Inject
    ClusterJobs cluster;

    @Inject
    EntityManager em;

    private final ExecutorService otherController = Executors.newSingleThreadExecutor();

    @AfterEach
    void forgetTheJob() {
        otherController.shutdownNow();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from cluster_job where name = :n")
                .setParameter("n", JOB.jobName()).executeUpdate());
    }

    @Test
    void aSecondCallerSkipsTheJobWhileTheFirstRunsIt() throws Exception {
        CountDownLatch firstIsRunning = new CountDownLatch(1);
        CountDownLatch secondHasTried = new CountDownLatch(1);
        AtomicInteger bodies = new AtomicInteger();
        Future<Optional<String>> first = otherController.submit(() -> cluster.runOnce(JOB, Duration.ZERO, () -> {
            bodies.incrementAndGet();
            firstIsRunning.countDown();
            await(secondHasTried);
            return "first";
        }));
        assertThat(firstIsRunning.await(30, TimeUnit.SECONDS)).isTrue();

        Optional<String> second = cluster.runOnce(JOB, Duration.ZERO, () -> {
            bodies.incrementAndGet();
            return "second";
        });
        secondHasTried.countDown();

        assertThat(second).isEmpty();
        assertThat(first.get(30, TimeUnit.SECONDS)).contains("first");
        assertThat(bodies).hasValue(1);
        ClusterJobs.LastRun last = cluster.lastRun(JOB).orElseThrow();
        assertThat(last.finishedAt()).isNotNull().isAfterOrEqualTo(last.startedAt());
        // The lock is released: the next run goes ahead.
        assertThat(cluster.runOnce(JOB, Duration.ZERO, () -> "again")).contains("again");
    }

    @Test
    void aJobThatRanWithinItsIntervalIsNotRunAgainByAnotherController() throws Exception {
        assertThat(otherController.submit(() -> cluster.runOnce(JOB, Duration.ofHours(1), () -> "done"))
                .get(30, TimeUnit.SECONDS)).contains("done");

        assertThat(cluster.runOnce(JOB, Duration.ofHours(1), () -> "twice")).isEmpty();
        assertThat(cluster.runOnce(JOB, Duration.ZERO, () -> "unconditionally")).contains("unconditionally");
    }

    @Test
    void aJobThatFailedIsNotRecordedAsFinished() {
        assertThatThrownBy(() -> cluster.runOnce(JOB, Duration.ofHours(1), () -> {
            throw new IllegalStateException("broken");
        })).hasMessage("broken");

        assertThat(cluster.lastRun(JOB).orElseThrow().finishedAt()).isNull();
        assertThat(cluster.runOnce(JOB, Duration.ofHours(1), () -> "retried")).contains("retried");
    }

    @Test
    void aTransactionHoldingTheLockTurnsAwayAnotherUntilItEnds() throws Exception {
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Boolean> first = otherController.submit(() -> QuarkusTransaction.requiringNew().call(() -> {
            boolean got = cluster.claimInTransaction(JOB);
            firstHolds.countDown();
            await(release);
            return got;
        }));
        assertThat(firstHolds.await(30, TimeUnit.SECONDS)).isTrue();

        boolean whileHeld = QuarkusTransaction.requiringNew().call(() -> cluster.claimInTransaction(JOB));
        release.countDown();

        assertThat(first.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(whileHeld).isFalse();
        assertThat(QuarkusTransaction.requiringNew().call(() -> cluster.claimInTransaction(JOB))).isTrue();
        // A job run and a transaction claim share the key: a held session lock turns a transaction away too.
        assertThat(cluster.runOnce(JOB, Duration.ZERO, this::otherControllerClaims)).contains(false);
    }

    @Test
    void everyJobHasItsOwnKey() {
        assertThat(java.util.Arrays.stream(ClusterJob.values()).map(ClusterJob::key).distinct())
                .hasSize(ClusterJob.values().length);
    }

    private boolean otherControllerClaims() {
        try {
            return otherController.submit(() -> QuarkusTransaction.requiringNew()
                    .call(() -> cluster.claimInTransaction(JOB))).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the other caller never came");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
