package io.popfleet.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;

/**
 * {@code node_metric} is partitioned by UTC month ({@code node_metric_YYYY_MM}, V052), with a default partition
 * that catches rows of a month without one. This keeps {@link #MONTHS_AHEAD} months ready ahead (moving any rows
 * the default partition caught for them), and retention drops whole months ({@link #dropEndingBy}) instead of
 * deleting rows one by one.
 */
@ApplicationScoped
public class MetricPartitions {

    private static final Logger LOG = Logger.getLogger(MetricPartitions.class);
    /** Months with a partition ready beyond the current one: three months of downtime lose no partition. */
    static final int MONTHS_AHEAD = 3;
    private static final Pattern NAME = Pattern.compile("node_metric_(\\d{4})_(\\d{2})");

    @Inject
    EntityManager em;

    @Inject
    ClusterJobs cluster;

    @Scheduled(every = "1h", delayed = "30s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        cluster.runOnce(ClusterJob.METRIC_PARTITIONS, Duration.ofHours(12), () -> ensureAhead(Instant.now()))
                .filter(created -> !created.isEmpty())
                .ifPresent(created -> LOG.infof("node_metric partitions created: %s", created));
    }

    /** Creates the partitions of {@code now}'s month and {@link #MONTHS_AHEAD} after it that are missing. */
    public List<String> ensureAhead(Instant now) {
        YearMonth current = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<String> created = new ArrayList<>();
        List<YearMonth> existing = months();
        for (int i = 0; i <= MONTHS_AHEAD; i++) {
            YearMonth month = current.plusMonths(i);
            if (!existing.contains(month)) {
                QuarkusTransaction.requiringNew().run(() -> create(month));
                created.add(name(month));
            }
        }
        return created;
    }

    /**
     * Drops every month partition that ends at or before {@code cutoff}; answers the rows they held. Rows older
     * than the cutoff in the month it falls in (or in the default partition) are the caller's to delete.
     */
    public long dropEndingBy(Instant cutoff) {
        long rows = 0;
        for (YearMonth month : months()) {
            if (!start(month.plusMonths(1)).isAfter(cutoff)) {
                rows += QuarkusTransaction.requiringNew().call(() -> {
                    long held = ((Number) em.createNativeQuery("select count(*) from " + name(month))
                            .getSingleResult()).longValue();
                    em.createNativeQuery("drop table " + name(month)).executeUpdate();
                    return held;
                });
            }
        }
        return rows;
    }

    /** The months that have a partition now, oldest first. */
    public List<YearMonth> months() {
        List<?> names = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery("select c.relname"
                + " from pg_inherits i join pg_class c on c.oid = i.inhrelid"
                + " where i.inhparent = 'node_metric'::regclass order by 1").getResultList());
        List<YearMonth> months = new ArrayList<>();
        for (Object name : names) {
            Matcher m = NAME.matcher((String) name);
            if (m.matches()) {
                months.add(YearMonth.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
            }
        }
        return months;
    }

    /**
     * A month's partition, built beside the table and then attached: rows the default partition caught for that
     * month move into it first (a partition cannot be created over rows the default one holds).
     */
    private void create(YearMonth month) {
        // Names and bounds are computed from a YearMonth, never input.
        String table = name(month);
        String from = "'" + start(month) + "'";
        String to = "'" + start(month.plusMonths(1)) + "'";
        em.createNativeQuery("create table " + table + " (like node_metric including all)").executeUpdate();
        em.createNativeQuery("with moved as (delete from node_metric_default where at >= " + from + " and at < "
                + to + " returning *) insert into " + table + " select * from moved").executeUpdate();
        em.createNativeQuery("alter table node_metric attach partition " + table + " for values from (" + from
                + ") to (" + to + ")").executeUpdate();
    }

    static String name(YearMonth month) {
        return "node_metric_%04d_%02d".formatted(month.getYear(), month.getMonthValue());
    }

    private static Instant start(YearMonth month) {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
