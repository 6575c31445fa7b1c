package io.popfleet.testing;

import java.util.Objects;

import org.assertj.core.api.AbstractAssert;

import io.popfleet.api.FailureKind;
import io.popfleet.runs.TargetState;
import io.popfleet.runs.TargetView;

/** Asserts on one node's part in a run: {@code assertThat(target).hasState(FAILED).hasKind(TIMEOUT)}. */
public final class TargetViewAssert extends AbstractAssert<TargetViewAssert, TargetView> {

    TargetViewAssert(TargetView actual) {
        super(actual, TargetViewAssert.class);
    }

    public TargetViewAssert hasState(TargetState state) {
        isNotNull();
        if (!state.dbValue().equals(actual.state())) {
            failWithMessage("expected %s to be %s but it is %s (%s: %s)", actual.nodeName(), state.dbValue(),
                    actual.state(), actual.failureKind(), actual.failureMessage());
        }
        return this;
    }

    /** The failure's classification. */
    public TargetViewAssert hasKind(FailureKind kind) {
        isNotNull();
        if (!kind.code().equals(actual.failureKind())) {
            failWithMessage("expected %s to have failed as %s but its failure is %s (%s)", actual.nodeName(),
                    kind.code(), actual.failureKind(), actual.failureMessage());
        }
        return this;
    }

    public TargetViewAssert hasExitCode(int exitCode) {
        isNotNull();
        if (!Objects.equals(actual.exitCode(), exitCode)) {
            failWithMessage("expected %s to exit with %s but its exit code is %s", actual.nodeName(), exitCode,
                    actual.exitCode());
        }
        return this;
    }

    /** The node's parsed answer holds these fields. */
    public TargetViewAssert hasDataFields(String... fields) {
        isNotNull();
        for (String field : fields) {
            if (actual.data() == null || !actual.data().containsKey(field)) {
                failWithMessage("expected %s's data to hold %s but it is %s", actual.nodeName(), field, actual.data());
            }
        }
        return this;
    }

    /** The target was never sent to its node. */
    public TargetViewAssert neverStarted() {
        isNotNull();
        if (actual.startedAt() != null) {
            failWithMessage("expected %s never to have reached its node but it started at %s", actual.nodeName(),
                    actual.startedAt());
        }
        return this;
    }
}
