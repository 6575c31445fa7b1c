package io.popfleet.rollout;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's comparison: health no worse, reputation and each component at most the threshold lower. */
class SoakGateTest {

    private static final SoakGate.Figures BEFORE = new SoakGate.Figures("up", 0.8, 0.9, 0.7, 0.75);

    @Test
    void aNodeWithinTheThresholdPassesAndOneBeyondItIsNamedByWhatFell() {
        assertThat(SoakGate.drop(BEFORE, new SoakGate.Figures("up", 0.75, 0.86, 0.7, 0.8), 0.05)).isNull();
        assertThat(SoakGate.drop(BEFORE, new SoakGate.Figures("up", 0.749, 0.9, 0.7, 0.6), 0.05))
                .startsWith("reputation 0.800 → 0.749, egress 0.750 → 0.600 (at most 0.050");
    }

    @Test
    void worseHealthFailsAndAFigureUnknownBeforeIsNotCompared() {
        assertThat(SoakGate.drop(BEFORE, new SoakGate.Figures("degraded", 0.8, 0.9, 0.7, 0.75), 0.05))
                .startsWith("health up → degraded");
        assertThat(SoakGate.drop(new SoakGate.Figures("degraded", null, null, null, null),
                new SoakGate.Figures("up", 0.1, null, null, null), 0.05)).isNull();
        assertThat(SoakGate.drop(BEFORE, new SoakGate.Figures("up", null, 0.9, 0.7, 0.75), 0.05))
                .startsWith("reputation 0.800 → not reported");
    }
}
