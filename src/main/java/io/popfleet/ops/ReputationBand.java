package io.popfleet.ops;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Pipe's reputation bands as the node tool defines them (its {@code POP_REPUTATION_BANDS}, documented in the
 * {@code --json} contract): a score at or above a band's floor is in that band. The controller's one copy, for
 * scores it stores; a script test checks these floors against the tool's own answers.
 */
public enum ReputationBand {
    EXCELLENT(900_000), GOOD(800_000), FAIR(700_000), POOR(0);

    /** The floor in parts per million, the unit the node tool computes in. */
    private final int floorPpm;

    ReputationBand(int floorPpm) {
        this.floorPpm = floorPpm;
    }

    public double floor() {
        return floorPpm / 1_000_000.0;
    }

    /** The word the node tool answers and the pages show. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The band of a 0–1 score: the best band whose floor it reaches. */
    public static ReputationBand of(double score) {
        return Arrays.stream(values()).filter(band -> score >= band.floor()).findFirst().orElse(POOR);
    }

    /**
     * A SQL {@code CASE} naming the band of {@code column}, for counting bands in the database:
     * {@code case when x >= 0.9 then 'excellent' ... else 'poor' end}.
     */
    public static String sqlCase(String column) {
        return Arrays.stream(values()).filter(band -> band != POOR)
                .map(band -> "when " + column + " >= " + BigDecimal.valueOf(band.floorPpm, 6).stripTrailingZeros()
                        .toPlainString() + " then '" + band.word() + "'")
                .collect(Collectors.joining(" ", "case ", " else '" + POOR.word() + "' end"));
    }
}
