package io.popfleet.nodetool;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** The node's history log stays bounded, and `history` reads it in one pass with the same figures as before. */
class HistoryRetentionTest extends SimulatedNodeTest {

    private static final long STEP = 300;

    private Path history() {
        return node.resolve("var/lib/popfleet/history.tsv");
    }

    /** N samples five minutes apart, the newest at NOW: sample I (0 = oldest) has reputation 500000 + I. */
    private void writeHistory(long now, int n) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long t = now - (long) (n - 1 - i) * STEP;
            sb.append(t).append(" running ").append(500000 + i).append(" 812345 714285 400000 ")
                    .append(3_200_000_000_000L + i).append(" 455000000000 875000000000 ").append(i % 3).append('\n');
        }
        Files.writeString(history(), sb.toString());
    }

    @Test
    void collectPrunesAYearOfSamplesToTheRetentionSetting() throws Exception {
        long now = Instant.now().getEpochSecond();
        int year = 365 * 24 * 12;
        // Samples sit half a step off the clock, so none falls exactly on the cut of either collect below.
        long newest = now - STEP / 2;
        writeHistory(newest, year);
        PopTool.Result r = pop().env("POP_HISTORY_DAYS", "30").run("--json", "collect");
        NodeJsonSchema.assertValid(r);
        assertThat(r.exitCode()).as("%s", r).isZero();
        List<String> lines = Files.readAllLines(history());
        long cutoff = now - 30 * 86400;
        assertThat(lines).allSatisfy(l -> assertThat(Long.parseLong(l.split(" ")[0])).isGreaterThanOrEqualTo(cutoff - 5));
        // 30 days of 5-minute samples (within a sample of the cut) plus the one collect just appended.
        assertThat(lines.size()).isBetween(30 * 24 * 12, 30 * 24 * 12 + 2);
        assertThat(r.data().get("history_pruned").asInt()).isEqualTo(year + 1 - lines.size());
        assertThat(lines.get(lines.size() - 2)).startsWith(Long.toString(newest) + " running " + (500000 + year - 1));

        PopTool.Result again = pop().env("POP_HISTORY_DAYS", "30").run("--json", "collect");
        assertThat(again.data().get("history_pruned").asInt()).as("nothing more to prune").isZero();
    }

    @Test
    void historyAnswersTheNewestSamplesOldestFirstWithExactFigures() throws Exception {
        long now = Instant.now().getEpochSecond() / STEP * STEP;
        writeHistory(now, 20_000);
        PopTool.Result r = pop().run("--json", "history", "--since", "400d", "--limit", "10000");
        JsonNode data = NodeJsonSchema.assertValid(r).get("data");
        assertThat(r.exitCode()).isZero();
        assertThat(data.get("count").asInt()).isEqualTo(10_000);
        JsonNode samples = data.get("samples");
        assertThat(samples).hasSize(10_000);
        JsonNode last = samples.get(9_999);
        assertThat(last.get("time").asText()).isEqualTo(Instant.ofEpochSecond(now).toString());
        assertThat(last.get("reputation").decimalValue()).isEqualByComparingTo("0.5199");
        assertThat(last.get("uptime_score").decimalValue()).isEqualByComparingTo("0.8123");
        assertThat(last.get("historical_score").decimalValue()).isEqualByComparingTo("0.7142");
        assertThat(last.get("egress_bytes_7d").asLong()).isEqualTo(3_200_000_019_999L);
        assertThat(last.get("restarts").asInt()).isEqualTo(19_999 % 3);
        JsonNode first = samples.get(0);
        assertThat(first.get("time").asText()).isEqualTo(Instant.ofEpochSecond(now - 9_999 * STEP).toString());
        assertThat(first.get("egress_bytes_7d").asLong()).isEqualTo(3_200_000_010_000L);

        PopTool.Result week = pop().run("--json", "history", "--since", Long.toString(now - 7 * 86400), "--limit",
                "10000");
        assertThat(week.data().get("count").asInt()).as("7 days").isEqualTo(7 * 24 * 12 + 1);
        PopTool.Result human = pop().run("history", "--limit", "2");
        assertThat(human.stdout().lines().toList()).hasSize(3);
        assertThat(human.stdout()).contains(Instant.ofEpochSecond(now).toString(), "0.5199", "3.2 TB", "455.0 GB");
    }

    @Test
    void malformedHistoryLinesAreSkippedNotPassedOn() throws Exception {
        long now = Instant.now().getEpochSecond();
        Files.writeString(history(), now + " running 700000 1 2 3 4 5 6 7\n" + now + " \"evil\" 1 2 3 4 x y z w\n"
                + "garbage line\n" + now + " running 1e9 2 3 4 5 6 7 8\n" + now + " running 1 2 3 4 18446744073709551616000 6 7 8\n");
        PopTool.Result r = pop().run("--json", "history");
        JsonNode samples = NodeJsonSchema.assertValid(r).at("/data/samples");
        assertThat(samples).hasSize(3);
        assertThat(samples.get(1).get("service").asText()).isEqualTo("unknown");
        assertThat(samples.get(1).get("egress_bytes_7d").isNull()).isTrue();
        assertThat(samples.get(2).get("egress_bytes_7d").isNull()).as("too long for a number").isTrue();
    }
}
