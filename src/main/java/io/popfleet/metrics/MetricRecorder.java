package io.popfleet.metrics;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;

import org.hibernate.Session;

import io.popfleet.api.FailureKind;
import io.popfleet.ops.NodeStatus;
import io.popfleet.runs.TargetFinished;
import io.popfleet.runs.TargetState;
import io.popfleet.runs.TargetsRecorded;

/**
 * Stores an observation: one history row, and the node's newest status (an upsert, so one row per node), both
 * written as the observing transaction commits, with the other observations of that transaction. Every
 * {@code status} answer (a poll's or an operator's) is an observation; so is a {@code status} that could not reach
 * its node.
 */
@ApplicationScoped
public class MetricRecorder {

    /**
     * The classifications that mean the node did not answer over SSH. A node that answered badly
     * ({@code bad_output}, {@code nonzero_exit}) was reached; a target the controller refused before connecting
     * ({@code not_allowed}, {@code not_found}, ...) says nothing about the node.
     */
    private static final Set<FailureKind> NOT_REACHED = EnumSet.of(FailureKind.UNREACHABLE, FailureKind.AUTH_FAILED,
            FailureKind.HOSTKEY_MISMATCH, FailureKind.TIMEOUT);

    /** The transaction's resource key for its queued observations. */
    private static final Object PENDING = new Object();

    @Inject
    EntityManager em;

    @Inject
    TransactionSynchronizationRegistry transactions;

    /**
     * In the target's transaction (see {@link TargetFinished}): the node's newest status and the target that
     * observed it commit together.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    void onTargetFinished(@Observes TargetFinished finished) {
        if (finished.nodeId() == null || !"status".equals(finished.operation())) {
            return;
        }
        finished.answer(NodeStatus.class)
                .ifPresent(status -> record(finished.nodeId(), NodeObservation.fromStatus(status)));
        if (finished.outcome() == TargetState.FAILED && NOT_REACHED.contains(finished.failureKind())) {
            record(finished.nodeId(), NodeObservation.unreachable(finished.failureKind().code(),
                    finished.failureMessage()));
        }
    }

    /** The batch's observations, written as the batch ends (the transaction's end is the fallback). */
    @Transactional(Transactional.TxType.MANDATORY)
    void onTargetsRecorded(@Observes TargetsRecorded recorded) {
        @SuppressWarnings("unchecked")
        List<Pending> pending = (List<Pending>) transactions.getResource(PENDING);
        if (pending != null) {
            write(pending);
        }
    }

    /** A node's observation, written when its transaction commits. */
    private record Pending(long nodeId, Instant at, NodeObservation observation) {
    }

    private static final String HISTORY = "insert into node_metric (node_id, at, state, service_state, reputation,"
            + " uptime_score, historical_score, egress_score, egress_bytes_7d, points, binary_version)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (node_id, at) do nothing";

    // last_seen_at is set only when the node was reached: an unreachable node keeps its last known figures, and
    // only its state, problem and failure count move.
    private static final String LATEST = "insert into node_status as s (node_id, at, state, service_state,"
            + " reputation, uptime_score, historical_score, egress_score, egress_bytes_7d, points, binary_version,"
            + " wallet, problem, last_seen_at, consecutive_failures, unit_wallet, process_seen, process_wallet,"
            + " enable_80_443, process_80_443, port_80, port_443)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " on conflict (node_id) do update set at = excluded.at, state = excluded.state,"
            + " problem = excluded.problem,"
            + " service_state = case when excluded.last_seen_at is not null then excluded.service_state else s.service_state end,"
            + " reputation = case when excluded.last_seen_at is not null then excluded.reputation else s.reputation end,"
            + " uptime_score = case when excluded.last_seen_at is not null then excluded.uptime_score else s.uptime_score end,"
            + " historical_score = case when excluded.last_seen_at is not null then excluded.historical_score else s.historical_score end,"
            + " egress_score = case when excluded.last_seen_at is not null then excluded.egress_score else s.egress_score end,"
            + " egress_bytes_7d = case when excluded.last_seen_at is not null then excluded.egress_bytes_7d else s.egress_bytes_7d end,"
            + " points = case when excluded.last_seen_at is not null then excluded.points else s.points end,"
            + " binary_version = case when excluded.last_seen_at is not null then excluded.binary_version else s.binary_version end,"
            + " wallet = case when excluded.last_seen_at is not null then excluded.wallet else s.wallet end,"
            + " unit_wallet = case when excluded.last_seen_at is not null then excluded.unit_wallet else s.unit_wallet end,"
            + " process_seen = case when excluded.last_seen_at is not null then excluded.process_seen else s.process_seen end,"
            + " process_wallet = case when excluded.last_seen_at is not null then excluded.process_wallet else s.process_wallet end,"
            + " enable_80_443 = case when excluded.last_seen_at is not null then excluded.enable_80_443 else s.enable_80_443 end,"
            + " process_80_443 = case when excluded.last_seen_at is not null then excluded.process_80_443 else s.process_80_443 end,"
            + " port_80 = case when excluded.last_seen_at is not null then excluded.port_80 else s.port_80 end,"
            + " port_443 = case when excluded.last_seen_at is not null then excluded.port_443 else s.port_443 end,"
            + " last_seen_at = coalesce(excluded.last_seen_at, s.last_seen_at),"
            + " consecutive_failures = case when excluded.last_seen_at is not null then 0"
            + " else s.consecutive_failures + 1 end";

    /**
     * Queued until the batch ends ({@link TargetsRecorded}, or the transaction's end): a write batch of 100 answers then costs two JDBC batches (one round trip
     * each) instead of two statements per node, the last per-target statements of a poll (docs/benchmarks.md).
     * Nothing is written if the transaction rolls back, as before.
     */
    private void record(long nodeId, NodeObservation o) {
        // Microseconds are PostgreSQL's precision; truncating keeps (node_id, at) the same value in Java and SQL.
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        pending().add(new Pending(nodeId, at, o));
    }

    @SuppressWarnings("unchecked")
    private List<Pending> pending() {
        List<Pending> pending = (List<Pending>) transactions.getResource(PENDING);
        if (pending == null) {
            List<Pending> fresh = new ArrayList<>();
            transactions.putResource(PENDING, fresh);
            transactions.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                    write(fresh);
                }

                @Override
                public void afterCompletion(int status) {
                    // written in beforeCompletion, or rolled back with everything else
                }
            });
            pending = fresh;
        }
        return pending;
    }

    private void write(List<Pending> pending) {
        if (pending.isEmpty()) {
            return;
        }
        em.unwrap(Session.class).doWork(connection -> {
            try (PreparedStatement history = connection.prepareStatement(HISTORY);
                    PreparedStatement latest = connection.prepareStatement(LATEST)) {
                for (Pending p : pending) {
                    bind(history, p);
                    history.addBatch();
                    bind(latest, p);
                    NodeObservation o = p.observation();
                    boolean reached = !"unreachable".equals(o.state());
                    ConfigFacts facts = o.facts() == null ? ConfigFacts.UNKNOWN : o.facts();
                    latest.setString(12, o.wallet());
                    latest.setString(13, o.problem());
                    latest.setObject(14, reached ? utc(p.at()) : null, Types.TIMESTAMP_WITH_TIMEZONE);
                    latest.setInt(15, reached ? 0 : 1);
                    latest.setString(16, facts.unitWallet());
                    latest.setBoolean(17, facts.processSeen());
                    latest.setString(18, facts.processWallet());
                    latest.setObject(19, facts.enable80443(), Types.BOOLEAN);
                    latest.setObject(20, facts.process80443(), Types.BOOLEAN);
                    latest.setString(21, facts.port80());
                    latest.setString(22, facts.port443());
                    latest.addBatch();
                }
                history.executeBatch();
                latest.executeBatch();
            }
        });
        pending.clear();
    }

    /** The eleven columns both tables share, in the order both statements list them. */
    private static void bind(PreparedStatement statement, Pending p) throws SQLException {
        NodeObservation o = p.observation();
        statement.setLong(1, p.nodeId());
        statement.setObject(2, utc(p.at()), Types.TIMESTAMP_WITH_TIMEZONE);
        statement.setString(3, o.state());
        statement.setString(4, o.serviceState());
        statement.setObject(5, o.reputation(), Types.DOUBLE);
        statement.setObject(6, o.uptimeScore(), Types.DOUBLE);
        statement.setObject(7, o.historicalScore(), Types.DOUBLE);
        statement.setObject(8, o.egressScore(), Types.DOUBLE);
        statement.setObject(9, o.egressBytes7d(), Types.BIGINT);
        statement.setObject(10, o.points(), Types.BIGINT);
        statement.setString(11, o.binaryVersion());
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
