package io.popfleet.runs;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TargetStateTest {

    /** The whole table, written out once more: a change to either side must be deliberate. */
    private static final Map<TargetState, Set<TargetState>> EXPECTED = Map.of(
            TargetState.QUEUED, EnumSet.of(TargetState.CLAIMED, TargetState.CANCELLED),
            TargetState.CLAIMED, EnumSet.of(TargetState.RUNNING, TargetState.QUEUED, TargetState.CANCELLED,
                    TargetState.ORPHANED),
            TargetState.RUNNING, EnumSet.of(TargetState.OK, TargetState.FAILED, TargetState.CANCELLED,
                    TargetState.ORPHANED),
            TargetState.ORPHANED, EnumSet.of(TargetState.QUEUED, TargetState.OK, TargetState.FAILED),
            TargetState.OK, EnumSet.noneOf(TargetState.class),
            TargetState.FAILED, EnumSet.noneOf(TargetState.class),
            TargetState.CANCELLED, EnumSet.noneOf(TargetState.class));

    @ParameterizedTest
    @EnumSource(TargetState.class)
    void everyMoveFromEveryStateIsAllowedExactlyAsTheTableSays(TargetState from) {
        for (TargetState to : TargetState.values()) {
            assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(EXPECTED.get(from).contains(to));
        }
        assertThat(from.isFinal()).isEqualTo(EXPECTED.get(from).isEmpty());
    }

    @ParameterizedTest
    @EnumSource(value = TargetState.class, names = {"OK", "FAILED", "CANCELLED"})
    void aFinishedTargetRefusesEveryVerbAndNamesBothStates(TargetState finalState) {
        RunTarget target = new RunTarget();
        target.id = 7L;
        target.nodeName = "pop-1";
        target.state = finalState;
        assertThatThrownBy(target::start).isInstanceOf(IllegalTransitionException.class)
                .hasMessageContaining(finalState.name()).hasMessageContaining("RUNNING");
        assertThatThrownBy(() -> target.cancel("operator")).isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(target::requeue).isInstanceOf(IllegalTransitionException.class);
        assertThat(target.state).isEqualTo(finalState);
    }

    @Test
    void aRunWaitsOnlyOnQueuedAndInFlightTargets() {
        assertThat(EnumSet.allOf(TargetState.class)).filteredOn(TargetState::isPending)
                .containsExactly(TargetState.QUEUED, TargetState.CLAIMED, TargetState.RUNNING);
    }

    @Test
    void theWordListIsEveryStateInTheTablesOrder() {
        assertThat(TargetState.dbValues()).containsExactly("queued", "claimed", "running", "ok", "failed",
                "cancelled", "orphaned");
    }

    @ParameterizedTest
    @EnumSource(TargetState.class)
    void databaseWordsRoundTrip(TargetState state) {
        assertThat(TargetState.fromDb(state.dbValue())).isEqualTo(state);
        assertThat(state.dbValue()).isLowerCase();
    }
}
