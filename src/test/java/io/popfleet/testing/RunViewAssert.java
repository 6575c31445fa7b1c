package io.popfleet.testing;

import org.assertj.core.api.AbstractAssert;

import io.popfleet.runs.RunState;
import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetState;

/** Asserts on a run as the API shows it: its state and its targets counted by state. */
public final class RunViewAssert extends AbstractAssert<RunViewAssert, RunView> {

    RunViewAssert(RunView actual) {
        super(actual, RunViewAssert.class);
    }

    public RunViewAssert hasState(RunState state) {
        isNotNull();
        if (!state.dbValue().equals(actual.state())) {
            failWithMessage("expected run %s to be %s but it is %s (%s)", actual.id(), state.dbValue(),
                    actual.state(), actual.counts());
        }
        return this;
    }

    public RunViewAssert isFinished() {
        return hasState(RunState.FINISHED);
    }

    public RunViewAssert isCancelled() {
        return hasState(RunState.CANCELLED);
    }

    /** Exactly {@code ok} targets succeeded and exactly {@code failed} failed. */
    public RunViewAssert hasCounts(long ok, long failed) {
        return hasCount(TargetState.OK, ok).hasCount(TargetState.FAILED, failed);
    }

    public RunViewAssert hasCount(TargetState state, long expected) {
        isNotNull();
        long count = actual.count(state.dbValue());
        if (count != expected) {
            failWithMessage("expected %s %s target(s) in run %s but found %s (%s)", expected, state.dbValue(),
                    actual.id(), count, actual.counts());
        }
        return this;
    }
}
