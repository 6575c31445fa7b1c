package io.popfleet.database;

import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

/**
 * The one place where "once per cluster" lives: several controllers share one PostgreSQL, and each scheduled job
 * must still run once, not once per controller. Built on PostgreSQL advisory locks (no table to lease, no extra
 * scheduler; a controller that dies drops its locks with its connection), in two forms:
 * <ul>
 * <li>{@link #claimInTransaction}: a job that is one transaction (start a poll, take a snapshot) takes
 * {@code pg_try_advisory_xact_lock} first; a second controller's attempt in the meantime is skipped, and the lock
 * ends with the transaction, so the check-then-insert inside is atomic across controllers;</li>
 * <li>{@link #runOnce}: a job of many transactions (compaction in slices) holds a session lock on a connection of its
 * own for its whole length, and records when it last ran in {@code cluster_job}, so a controller whose timer fires
 * after the first one finished does not run it again.</li>
 * </ul>
 */
@ApplicationScoped
public class ClusterJobs {

    private static final Logger LOG = Logger.getLogger(ClusterJobs.class);

    /** Who holds a job, as {@code cluster_job.holder} shows it: the controller's process and host. */
    private final String holder = ManagementFactory.getRuntimeMXBean().getName();

    @Inject
    EntityManager em;

    @Inject
    DataSource dataSource;

    /**
     * Takes {@code job}'s lock for the caller's transaction: true when this controller now holds it until the
     * transaction ends (again true when it already did), false when another transaction holds it — the caller then
     * skips its work, someone else is doing it right now.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean claimInTransaction(ClusterJob job) {
        return Boolean.TRUE.equals(em.createNativeQuery("select pg_try_advisory_xact_lock(:space, :key)")
                .setParameter("space", ClusterJob.NAMESPACE).setParameter("key", job.key()).getSingleResult());
    }

    /**
     * Waits for {@code job}'s lock for the caller's transaction: for work that every controller may do but never
     * two at once (it is idempotent, a second pass finds nothing to do).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void awaitInTransaction(ClusterJob job) {
        em.createNativeQuery("select pg_advisory_xact_lock(:space, :key)").setParameter("space", ClusterJob.NAMESPACE)
                .setParameter("key", job.key()).getSingleResult();
    }

    /**
     * Runs {@code body} unless another controller is running {@code job} now or it finished less than
     * {@code notAgainWithin} ago (by the database's clock, so controllers' clocks do not matter); answers its result,
     * empty when skipped. Outside any transaction: the body makes its own, and the lock lives on a connection of its
     * own for the body's whole length. A body that throws is not recorded as finished, so the next attempt runs it.
     */
    @Transactional(Transactional.TxType.NEVER)
    public <T> Optional<T> runOnce(ClusterJob job, Duration notAgainWithin, Supplier<T> body) {
        try (Connection lockHolder = dataSource.getConnection()) {
            lockHolder.setAutoCommit(true);
            if (!flag(lockHolder, "select pg_try_advisory_lock(?, ?)", job)) {
                LOG.debugf("%s: skipped, another controller is running it", job.jobName());
                return Optional.empty();
            }
            try {
                if (ranWithin(lockHolder, job, notAgainWithin)) {
                    LOG.debugf("%s: skipped, it ran less than %s ago", job.jobName(), notAgainWithin);
                    return Optional.empty();
                }
                mark(lockHolder, job, "started_at");
                T result = body.get();
                mark(lockHolder, job, "finished_at");
                return Optional.ofNullable(result);
            } finally {
                flag(lockHolder, "select pg_advisory_unlock(?, ?)", job);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cluster job " + job.jobName() + ": " + e.getMessage(), e);
        }
    }

    /** When {@code job} last finished anywhere in the cluster, and on which controller it last started. */
    @Transactional
    public Optional<LastRun> lastRun(ClusterJob job) {
        return SqlRow.list(SqlRow.query(em, "select started_at, finished_at, holder from cluster_job where name = :name")
                .setParameter("name", job.jobName())).stream()
                .map(r -> new LastRun(r.instant("started_at"), r.instant("finished_at"), r.text("holder"))).findFirst();
    }

    /** A job's row in {@code cluster_job}. */
    public record LastRun(java.time.Instant startedAt, java.time.Instant finishedAt, String holder) {
    }

    private static boolean flag(Connection connection, String sql, ClusterJob job) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setInt(1, ClusterJob.NAMESPACE);
            statement.setInt(2, job.key());
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getBoolean(1);
            }
        }
    }

    private static boolean ranWithin(Connection connection, ClusterJob job, Duration window) throws SQLException {
        if (window.isZero() || window.isNegative()) {
            return false;
        }
        try (PreparedStatement statement = connection.prepareStatement("select 1 from cluster_job where name = ?"
                + " and finished_at > now() - make_interval(secs => ?)")) {
            statement.setString(1, job.jobName());
            statement.setDouble(2, window.toMillis() / 1000.0);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private void mark(Connection connection, ClusterJob job, String column) throws SQLException {
        // The column is one of two constants named in this class, never input.
        try (PreparedStatement statement = connection.prepareStatement("insert into cluster_job (name, " + column
                + ", holder) values (?, now(), ?) on conflict (name) do update set " + column + " = excluded."
                + column + ", holder = excluded.holder")) {
            statement.setString(1, job.jobName());
            statement.setString(2, holder);
            statement.executeUpdate();
        }
    }
}
