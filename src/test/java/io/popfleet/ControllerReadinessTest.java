package io.popfleet;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.QuarkusTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler starts halted (a controller that cannot bind its port must never run a job) and the bound HTTP port
 * starts it: without that second half no poll, sweep or rollout tick would ever run. The first half is the cluster
 * test's port-taken case.
 */
@QuarkusTest
class ControllerReadinessTest {

    @Inject
    Scheduler scheduler;

    @Test
    void theBoundPortStartsTheScheduledJobs() {
        await().atMost(Duration.ofSeconds(30)).until(scheduler::isRunning);
        assertThat(scheduler.getScheduledJobs()).as("the controller's jobs").isNotEmpty();
    }
}
