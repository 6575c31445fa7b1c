package io.popfleet.testing;

import java.time.Duration;

import io.popfleet.runs.RunService;
import io.popfleet.runs.RunView;

import static org.awaitility.Awaitility.await;

/** Waiting for a run in tests: its executor works in the background, so tests wait until it stops running. */
public final class RunWaits {

    private static final Duration DEFAULT = Duration.ofSeconds(90);

    private RunWaits() {
    }

    /** The run once it stopped running; a run still running after 90 s fails the test. */
    public static RunView finished(RunService runs, long id) {
        return finished(runs, id, DEFAULT);
    }

    public static RunView finished(RunService runs, long id, Duration timeout) {
        return await("run " + id + " to stop running").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> runs.get(id).orElseThrow(), run -> !run.isRunningState());
    }
}
