package io.popfleet.metrics;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.inventory.NodeService;
import io.popfleet.runs.Run;
import io.popfleet.testing.Inventory;

import static io.popfleet.testing.NodeBuilder.aNode;
import static org.assertj.core.api.Assertions.assertThat;

/** Months in 2020, far from any partition the running controller keeps, so the test's drops touch only its own. */
@QuarkusTest
class MetricPartitionsTest {

    private static final Instant NOW = Instant.parse("2020-01-15T10:00:00Z");

    @Inject
    MetricPartitions partitions;

    @Inject
    NodeService nodes;

    private long node;

    @BeforeEach
    void oneNode() {
        Inventory.clear();
        node = nodes.create(aNode().named("part-a").at("127.0.0.9", 22).loggingInAs("pop").build(), "test").id();
    }

    @AfterEach
    void dropTheTestMonths() {
        partitions.dropEndingBy(Instant.parse("2020-12-01T00:00:00Z"));
        Inventory.clear();
    }

    @Test
    void monthsAheadAreCreatedAndRowsTheDefaultPartitionCaughtMoveIntoTheirMonth() {
        insert(Instant.parse("2020-02-10T08:00:00Z"));
        insert(Instant.parse("2020-02-29T23:59:59Z"));
        assertThat(partitionsHolding()).containsExactly("node_metric_default", "node_metric_default");

        List<String> created = partitions.ensureAhead(NOW);

        assertThat(created).containsExactly("node_metric_2020_01", "node_metric_2020_02", "node_metric_2020_03",
                "node_metric_2020_04");
        assertThat(partitionsHolding()).containsExactly("node_metric_2020_02", "node_metric_2020_02");
        assertThat(partitions.ensureAhead(NOW)).as("nothing missing the second time").isEmpty();
        insert(Instant.parse("2020-03-01T00:00:00Z"));
        assertThat(partitionsHolding()).contains("node_metric_2020_03");
    }

    @Test
    void expiredMonthsAreDroppedWholeAndTheirRowsCounted() {
        partitions.ensureAhead(NOW);
        insert(Instant.parse("2020-01-20T00:00:00Z"));
        insert(Instant.parse("2020-02-01T00:00:00Z"));
        insert(Instant.parse("2020-03-05T00:00:00Z"));

        long dropped = partitions.dropEndingBy(Instant.parse("2020-03-10T00:00:00Z"));

        assertThat(dropped).isEqualTo(2);
        assertThat(partitions.months()).doesNotContain(YearMonth.of(2020, 1), YearMonth.of(2020, 2))
                .contains(YearMonth.of(2020, 3), YearMonth.of(2020, 4));
        assertThat(partitionsHolding()).containsExactly("node_metric_2020_03");
    }

    private void insert(Instant at) {
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(
                "insert into node_metric (node_id, at, state) values (:node, :at, 'up')").setParameter("node", node)
                .setParameter("at", at).executeUpdate());
    }

    /** Which partition holds each of the node's rows, oldest row first. */
    private List<String> partitionsHolding() {
        return QuarkusTransaction.requiringNew().call(() -> Run.getEntityManager().createNativeQuery(
                "select tableoid::regclass::text from node_metric where node_id = :node order by at")
                .setParameter("node", node).getResultList()).stream().map(String::valueOf).toList();
    }
}
