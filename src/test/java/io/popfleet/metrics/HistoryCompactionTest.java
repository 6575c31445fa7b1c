package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.database.SqlValues;
import io.popfleet.inventory.NodeInput;
import io.popfleet.inventory.NodeService;
import io.popfleet.runs.Run;
import io.popfleet.testing.Inventory;

import static io.popfleet.testing.NodeBuilder.aNode;
import static org.assertj.core.api.Assertions.assertThat;

/** Full resolution for a week, then the newest row per hour, per day after 90 days, nothing after 180. */
@QuarkusTest
class HistoryCompactionTest {

    /** A fixed "now" on a whole day, so every bucket below is known exactly. */
    private static final Instant NOW = Instant.parse("2026-06-30T12:00:00Z");

    @Inject
    NodeService nodes;

    @Inject
    HistoryCompaction compaction;

    @Inject
    MetricsService metrics;

    private long a;
    private long b;

    @BeforeEach
    void twoNodes() {
        Inventory.clear();
        a = nodes.create(node("hist-a", 22), "test").id();
        b = nodes.create(node("hist-b", 23), "test").id();
    }

    @AfterEach
    void clean() {
        Inventory.clear();
    }

    @Test
    void oldHistoryIsFoldedIntoTheNewestRowOfEachHourAndDay() {
        Instant recent = NOW.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        Instant lastWeek = NOW.minus(Duration.ofDays(8)).truncatedTo(ChronoUnit.HOURS);
        Instant lastQuarter = NOW.minus(Duration.ofDays(95)).truncatedTo(ChronoUnit.DAYS);
        for (long node : List.of(a, b)) {
            polls(node, recent, 12, Duration.ofMinutes(5));               // untouched: within a week
            polls(node, lastWeek, 24, Duration.ofMinutes(5));             // two hours -> two rows
            polls(node, lastQuarter.plus(Duration.ofHours(3)), 5, Duration.ofHours(4)); // one day -> one row
            polls(node, NOW.minus(Duration.ofDays(200)), 3, Duration.ofMinutes(5)); // past retention -> none
        }

        HistoryCompaction.Result result = compaction.compact(NOW);

        assertThat(result.hourly()).isEqualTo(2 * 22);
        assertThat(result.daily()).isEqualTo(2 * 4);
        assertThat(result.expired()).isEqualTo(2 * 3);
        for (long node : List.of(a, b)) {
            assertThat(times(node, recent, recent.plus(Duration.ofHours(1)))).hasSize(12);
            assertThat(times(node, lastWeek, lastWeek.plus(Duration.ofHours(2)))).containsExactly(
                    lastWeek.plus(Duration.ofMinutes(55)), lastWeek.plus(Duration.ofMinutes(115)));
            assertThat(times(node, lastQuarter, lastQuarter.plus(Duration.ofDays(1))))
                    .containsExactly(lastQuarter.plus(Duration.ofHours(19)));
            assertThat(times(node, Instant.EPOCH, NOW.minus(Duration.ofDays(180)))).isEmpty();
        }
        // The kept row is whole: its figures are the newest poll's, not a mix.
        MetricPoint kept = metrics.history(a, lastWeek).stream()
                .filter(p -> p.at().equals(lastWeek.plus(Duration.ofMinutes(55)))).findFirst().orElseThrow();
        assertThat(kept.reputation()).isEqualTo(reputation(11));

        // A second night finds nothing more to fold.
        HistoryCompaction.Result again = compaction.compact(NOW);
        assertThat(again).isEqualTo(new HistoryCompaction.Result(0, 0, 0));
    }

    private static double reputation(int poll) {
        return 0.5 + poll / 100.0;
    }

    private static void polls(long node, Instant first, int count, Duration every) {
        QuarkusTransaction.requiringNew().run(() -> {
            for (int i = 0; i < count; i++) {
                Run.getEntityManager().createNativeQuery("insert into node_metric (node_id, at, state, reputation)"
                        + " values (:node, :at, 'up', :reputation)").setParameter("node", node)
                        .setParameter("at", first.plus(every.multipliedBy(i))).setParameter("reputation", reputation(i))
                        .executeUpdate();
            }
        });
    }

    private static List<Instant> times(long node, Instant from, Instant to) {
        List<?> rows = QuarkusTransaction.requiringNew().call(() -> Run.getEntityManager().createNativeQuery(
                "select at from node_metric where node_id = :node and at >= :from and at < :to order by at")
                .setParameter("node", node).setParameter("from", from).setParameter("to", to).getResultList());
        return rows.stream().map(SqlValues::instant).toList();
    }

    private static NodeInput node(String name, int port) {
        return aNode().named(name).at("127.0.0.9", port).loggingInAs("pop").build();
    }
}
