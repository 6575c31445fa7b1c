package io.popfleet.testing;

import java.time.Duration;

import io.popfleet.runs.RunService;
import io.popfleet.runs.RunView;

/** Waiting for a run in tests: its executor works in the background, so tests poll its state. */
public final class RunWaits {

    private static final Duration DEFAULT = Duration.ofSeconds(90);

    private RunWaits() {
    }

    /** The run once it stopped running, or as it is when the time is up (the caller asserts its state). */
    public static RunView finished(RunService runs, long id) throws InterruptedException {
        return finished(runs, id, DEFAULT);
    }

    public static RunView finished(RunService runs, long id, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RunView run = runs.get(id).orElseThrow();
        while (run.isRunningState() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            run = runs.get(id).orElseThrow();
        }
        return run;
    }
}
