package io.popfleet.nodetool;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.popfleet.ops.ReputationBand;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The controller's reputation bands are the node tool's: for every band floor, a node scored exactly at the
 * floor answers that band and a node one part per million below answers the next one down, and the controller
 * names the score in each answer the same way.
 */
class ReputationBandTest extends SimulatedNodeTest {

    private static final long HOUR = 3600;
    private static final long WEEK_SECONDS = 168 * HOUR;
    /** Bytes over 7 days for one part per million of the egress component (the tool divides by 7,000,000). */
    private static final long BYTES_PER_EGRESS_PPM = 7_000_000;

    @ParameterizedTest
    @EnumSource(value = ReputationBand.class, names = "POOR", mode = EnumSource.Mode.EXCLUDE)
    void aScoreAtAFloorIsInThatBandAndJustBelowIsInTheNextBandDown(ReputationBand band) throws IOException {
        int floorPpm = (int) Math.round(band.floor() * 1_000_000);
        ReputationBand below = ReputationBand.values()[band.ordinal() + 1];

        JsonNode atFloor = reputationWithScorePpm(floorPpm);
        assertThat(atFloor.get("score").asDouble()).isEqualTo(band.floor());
        assertThat(atFloor.get("band").asText()).isEqualTo(band.word());
        assertThat(ReputationBand.of(atFloor.get("score").asDouble())).isEqualTo(band);

        JsonNode justBelow = reputationWithScorePpm(floorPpm - 1);
        assertThat(justBelow.get("score").asDouble()).isLessThan(band.floor());
        assertThat(justBelow.get("band").asText()).isEqualTo(below.word());
        assertThat(ReputationBand.of(justBelow.get("score").asDouble())).isEqualTo(below);
    }

    /**
     * Writes a report grid that scores exactly {@code ppm} with Pipe's formula (40 % uptime + 30 % historical +
     * 30 % egress, each in ppm, integer division as the tool does it), then asks the tool for its reputation.
     * Every hour is fully up unless the score is below 0.7 (full uptime and history alone give 700,000).
     */
    private JsonNode reputationWithScorePpm(int ppm) throws IOException {
        long missingSeconds = 0;
        long egressPpm = 0;
        if (ppm >= 700_000) {
            egressPpm = ceilDiv(10L * ppm - 7_000_000, 3);
        } else {
            long uptimePpm = ceilDiv(10L * ppm - 3_000_000, 4);
            missingSeconds = WEEK_SECONDS - ceilDiv(uptimePpm * WEEK_SECONDS, 1_000_000);
        }
        writeReports(missingSeconds, egressPpm * BYTES_PER_EGRESS_PPM);
        // The tool's own estimate is what this grid feeds: the node binary's --status (three decimals) stays out.
        assertThat(PopTool.sim("fault", node.toString(), "status-silent").exitCode()).isZero();
        JsonNode reputation = pop().run("--json", "status").data().get("reputation");
        assertThat(reputation.get("source").asText()).isEqualTo("popfleet-estimate");
        assertThat(Math.round(reputation.get("score").asDouble() * 10_000))
                .as("the grid scores %d ppm: %s", ppm, reputation).isEqualTo(ppm / 100);
        return reputation;
    }

    /**
     * One line per hour of the tool's 7-day window, plus the hour after it: should the clock pass an hour between
     * writing and asking, the window still holds 168 full hours. The missing uptime and all the egress go to an
     * hour in the middle of the window, which stays in it either way.
     */
    private void writeReports(long missingSeconds, long egressBytes) throws IOException {
        long nowHour = System.currentTimeMillis() / 1000 / HOUR * HOUR;
        long first = nowHour - 167 * HOUR;
        long middle = nowHour - 84 * HOUR;
        List<String> lines = new ArrayList<>();
        for (long hour = first; hour <= nowHour + HOUR; hour += HOUR) {
            long up = hour == middle ? HOUR - missingSeconds : HOUR;
            lines.add(hour + " " + up + " " + (hour == middle ? egressBytes : 0));
        }
        Files.write(node.resolve("var/lib/popfleet/reports.tsv"), lines);
    }

    // Math.ceilDiv is Java 18; the controller builds for 17.
    private static long ceilDiv(long dividend, long divisor) {
        return (dividend + divisor - 1) / divisor;
    }
}
