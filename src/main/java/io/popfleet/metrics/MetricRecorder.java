package io.popfleet.metrics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import io.popfleet.api.FailureKind;
import io.popfleet.ops.NodeStatus;
import io.popfleet.runs.TargetFinished;
import io.popfleet.runs.TargetState;

/**
 * Stores an observation: one history row, and the node's newest status (an upsert, so one row per node). Every
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

    @Inject
    EntityManager em;

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

    private void record(long nodeId, NodeObservation o) {
        // Microseconds are PostgreSQL's precision; truncating keeps (node_id, at) the same value in Java and SQL.
        Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Query history = em.createNativeQuery("insert into node_metric (node_id, at, state, service_state, reputation,"
                + " uptime_score, historical_score, egress_score, egress_bytes_7d, points, binary_version)"
                + " values (:node, :at, :state, :service, :reputation, :uptime, :historical, :egress, :egressBytes,"
                + " :points, :version) on conflict (node_id, at) do nothing");
        bind(history, nodeId, at, o).executeUpdate();
        boolean reached = !"unreachable".equals(o.state());
        Query latest = em.createNativeQuery("insert into node_status as s (node_id, at, state, service_state,"
                + " reputation, uptime_score, historical_score, egress_score, egress_bytes_7d, points, binary_version,"
                + " wallet, problem, last_seen_at, consecutive_failures, unit_wallet, process_seen, process_wallet,"
                + " enable_80_443, process_80_443, port_80, port_443)"
                + " values (:node, :at, :state, :service, :reputation, :uptime, :historical, :egress, :egressBytes,"
                + " :points, :version, :wallet, :problem, :seen, :failures, :unitWallet, :processSeen, :processWallet,"
                + " :enable80443, :process80443, :port80, :port443)"
                + " on conflict (node_id) do update set at = excluded.at, state = excluded.state,"
                + " problem = excluded.problem,"
                // An unreachable node keeps its last known figures; only its state and failure count move.
                + " service_state = case when :reached then excluded.service_state else s.service_state end,"
                + " reputation = case when :reached then excluded.reputation else s.reputation end,"
                + " uptime_score = case when :reached then excluded.uptime_score else s.uptime_score end,"
                + " historical_score = case when :reached then excluded.historical_score else s.historical_score end,"
                + " egress_score = case when :reached then excluded.egress_score else s.egress_score end,"
                + " egress_bytes_7d = case when :reached then excluded.egress_bytes_7d else s.egress_bytes_7d end,"
                + " points = case when :reached then excluded.points else s.points end,"
                + " binary_version = case when :reached then excluded.binary_version else s.binary_version end,"
                + " wallet = case when :reached then excluded.wallet else s.wallet end,"
                + " unit_wallet = case when :reached then excluded.unit_wallet else s.unit_wallet end,"
                + " process_seen = case when :reached then excluded.process_seen else s.process_seen end,"
                + " process_wallet = case when :reached then excluded.process_wallet else s.process_wallet end,"
                + " enable_80_443 = case when :reached then excluded.enable_80_443 else s.enable_80_443 end,"
                + " process_80_443 = case when :reached then excluded.process_80_443 else s.process_80_443 end,"
                + " port_80 = case when :reached then excluded.port_80 else s.port_80 end,"
                + " port_443 = case when :reached then excluded.port_443 else s.port_443 end,"
                + " last_seen_at = case when :reached then excluded.at else s.last_seen_at end,"
                + " consecutive_failures = case when :reached then 0 else s.consecutive_failures + 1 end");
        ConfigFacts facts = o.facts() == null ? ConfigFacts.UNKNOWN : o.facts();
        bind(latest, nodeId, at, o).setParameter("wallet", text(o.wallet())).setParameter("problem", text(o.problem()))
                .setParameter("seen", new TypedParameterValue<>(StandardBasicTypes.INSTANT, reached ? at : null))
                .setParameter("failures", reached ? 0 : 1).setParameter("reached", reached)
                .setParameter("unitWallet", text(facts.unitWallet())).setParameter("processSeen", facts.processSeen())
                .setParameter("processWallet", text(facts.processWallet()))
                .setParameter("enable80443", flag(facts.enable80443()))
                .setParameter("process80443", flag(facts.process80443()))
                .setParameter("port80", text(facts.port80())).setParameter("port443", text(facts.port443()))
                .executeUpdate();
    }

    // Typed binds: a null must still tell PostgreSQL its type, or it guesses bytea.
    private static Query bind(Query query, long nodeId, Instant at, NodeObservation o) {
        return query.setParameter("node", nodeId).setParameter("at", at).setParameter("state", o.state())
                .setParameter("service", text(o.serviceState())).setParameter("reputation", real(o.reputation()))
                .setParameter("uptime", real(o.uptimeScore())).setParameter("historical", real(o.historicalScore()))
                .setParameter("egress", real(o.egressScore())).setParameter("egressBytes", whole(o.egressBytes7d()))
                .setParameter("points", whole(o.points())).setParameter("version", text(o.binaryVersion()));
    }

    static TypedParameterValue<String> text(String value) {
        return new TypedParameterValue<>(StandardBasicTypes.STRING, value);
    }

    static TypedParameterValue<Double> real(Double value) {
        return new TypedParameterValue<>(StandardBasicTypes.DOUBLE, value);
    }

    static TypedParameterValue<Boolean> flag(Boolean value) {
        return new TypedParameterValue<>(StandardBasicTypes.BOOLEAN, value);
    }

    static TypedParameterValue<Long> whole(Long value) {
        return new TypedParameterValue<>(StandardBasicTypes.LONG, value);
    }
}
