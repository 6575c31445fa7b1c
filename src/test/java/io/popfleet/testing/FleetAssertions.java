package io.popfleet.testing;

import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetView;

/**
 * Entry point for the project's own asserts; import its {@code assertThat} next to AssertJ's:
 * {@code assertThat(run).isFinished().hasCounts(50, 0)}, {@code assertThat(target).hasState(FAILED).hasKind(TIMEOUT)}.
 */
public final class FleetAssertions {

    private FleetAssertions() {
    }

    public static RunViewAssert assertThat(RunView run) {
        return new RunViewAssert(run);
    }

    public static TargetViewAssert assertThat(TargetView target) {
        return new TargetViewAssert(target);
    }
}
