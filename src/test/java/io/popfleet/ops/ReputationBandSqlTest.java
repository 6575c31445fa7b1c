package io.popfleet.ops;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller's two uses of the bands, in Java and in SQL, draw the same lines. */
class ReputationBandSqlTest {

    @Test
    void theSqlCaseNamesEachBandFromItsFloor() {
        assertThat(ReputationBand.sqlCase("s.reputation")).isEqualTo("case when s.reputation >= 0.9 then 'excellent'"
                + " when s.reputation >= 0.8 then 'good' when s.reputation >= 0.7 then 'fair' else 'poor' end");
    }

    @Test
    void aScoreBelongsToTheBestBandWhoseFloorItReaches() {
        assertThat(ReputationBand.of(1.0)).isEqualTo(ReputationBand.EXCELLENT);
        assertThat(ReputationBand.of(0.9)).isEqualTo(ReputationBand.EXCELLENT);
        assertThat(ReputationBand.of(0.8999)).isEqualTo(ReputationBand.GOOD);
        assertThat(ReputationBand.of(0.8)).isEqualTo(ReputationBand.GOOD);
        assertThat(ReputationBand.of(0.7)).isEqualTo(ReputationBand.FAIR);
        assertThat(ReputationBand.of(0.6999)).isEqualTo(ReputationBand.POOR);
        assertThat(ReputationBand.of(0.0)).isEqualTo(ReputationBand.POOR);
    }
}
