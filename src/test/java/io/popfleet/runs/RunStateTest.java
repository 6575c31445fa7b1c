package io.popfleet.runs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunStateTest {

    /** The whole table, written out once more: a change to either side must be deliberate. */
    private static final Map<RunState, Set<RunState>> EXPECTED = Map.of(
            RunState.RUNNING, EnumSet.of(RunState.FINISHED, RunState.CANCELLED),
            RunState.FINISHED, EnumSet.noneOf(RunState.class),
            RunState.CANCELLED, EnumSet.noneOf(RunState.class));

    @ParameterizedTest
    @EnumSource(RunState.class)
    void everyMoveFromEveryStateIsAllowedExactlyAsTheTableSays(RunState from) {
        for (RunState to : RunState.values()) {
            assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(EXPECTED.get(from).contains(to));
        }
        assertThat(from.isFinal()).isEqualTo(EXPECTED.get(from).isEmpty());
    }

    @Test
    void aNewRunIsRunningAndCancellingItEndsIt() {
        Run run = new Run();
        assertThat(run.isRunning()).isTrue();
        run.cancel();
        assertThat(run.state).isEqualTo(RunState.CANCELLED);
        assertThat(run.finishedAt).isNotNull();
        assertThat(run.isRunning()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = RunState.class, names = {"FINISHED", "CANCELLED"})
    void anEndedRunRefusesToBeCancelledAndNamesBothStates(RunState ended) {
        Run run = new Run();
        run.id = 7L;
        run.state = ended;
        assertThatThrownBy(run::cancel).isInstanceOf(IllegalTransitionException.class)
                .hasMessage("run 7 cannot move from " + ended + " to CANCELLED");
        assertThat(run.state).isEqualTo(ended);
        assertThat(run.finishedAt).isNull();
    }

    @ParameterizedTest
    @EnumSource(RunState.class)
    void databaseWordsRoundTripThroughTheConverter(RunState state) {
        RunStateConverter converter = new RunStateConverter();
        assertThat(converter.convertToEntityAttribute(converter.convertToDatabaseColumn(state))).isEqualTo(state);
        assertThat(state.dbValue()).isLowerCase();
    }

    @Test
    void theDatabaseWordsAreTheOnesTheRunTableAllows() {
        // V020's CHECK constraint and the API's documented values; changing them needs a migration.
        assertThat(EnumSet.allOf(RunState.class)).extracting(RunState::dbValue)
                .containsExactly("running", "finished", "cancelled");
    }
}
