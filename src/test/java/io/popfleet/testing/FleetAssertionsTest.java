package io.popfleet.testing;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.popfleet.runs.RunState;
import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetView;

import static io.popfleet.api.FailureKind.TIMEOUT;
import static io.popfleet.api.FailureKind.UNREACHABLE;
import static io.popfleet.runs.TargetState.FAILED;
import static io.popfleet.runs.TargetState.OK;
import static io.popfleet.testing.FleetAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The project's asserts pass on what they describe and fail, saying why, on anything else. */
class FleetAssertionsTest {

    private static final RunView FINISHED_TWO_OK_ONE_FAILED = new RunView(7, "status", List.of(), false, "all",
            "test", null, RunState.FINISHED.dbValue(), 3, Map.of("ok", 2L, "failed", 1L), Instant.EPOCH,
            Instant.EPOCH);

    private static final TargetView TIMED_OUT = new TargetView(1, 7, 3L, "sim-03", "failed", 1, Instant.EPOCH,
            Instant.EPOCH, 5L, null, "timeout", "command timed out", true, null, "", "", false);

    private static final TargetView ANSWERED = new TargetView(2, 7, 4L, "sim-04", "ok", 1, Instant.EPOCH,
            Instant.EPOCH, 5L, 0, null, null, null, Map.of("service", "running"), null, null, false);

    @Test
    void aRunAssertPassesOnItsStateAndCountsAndFailsOnOthers() {
        assertThat(FINISHED_TWO_OK_ONE_FAILED).isFinished().hasCounts(2, 1).hasCount(FAILED, 1);

        assertThatThrownBy(() -> assertThat(FINISHED_TWO_OK_ONE_FAILED).hasCounts(3, 0))
                .isInstanceOf(AssertionError.class).hasMessageContaining("expected 3 ok target(s) in run 7 but found 2");
        assertThatThrownBy(() -> assertThat(FINISHED_TWO_OK_ONE_FAILED).isCancelled())
                .isInstanceOf(AssertionError.class).hasMessageContaining("to be cancelled but it is finished");
    }

    @Test
    void aTargetAssertPassesOnItsStateKindAndDataAndFailsOnOthers() {
        assertThat(TIMED_OUT).hasState(FAILED).hasKind(TIMEOUT);
        assertThat(ANSWERED).hasState(OK).hasExitCode(0).hasDataFields("service");

        assertThatThrownBy(() -> assertThat(TIMED_OUT).hasKind(UNREACHABLE)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("sim-03 to have failed as unreachable but its failure is timeout");
        assertThatThrownBy(() -> assertThat(TIMED_OUT).hasState(OK)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(TIMED_OUT).neverStarted()).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(ANSWERED).hasExitCode(1)).isInstanceOf(AssertionError.class);
        assertThatThrownBy(() -> assertThat(ANSWERED).hasDataFields("service", "reputation"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("reputation");
        assertThatThrownBy(() -> assertThat(TIMED_OUT).hasDataFields("service")).isInstanceOf(AssertionError.class);
    }
}
