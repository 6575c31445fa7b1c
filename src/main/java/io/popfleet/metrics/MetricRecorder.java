package io.popfleet.metrics;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

/** Stores an observation: one history row, and the node's newest status (an upsert, so one row per node). */
@ApplicationScoped
public class MetricRecorder {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(long nodeId, NodeObservation o) {
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
                + " wallet, problem, last_seen_at, consecutive_failures)"
                + " values (:node, :at, :state, :service, :reputation, :uptime, :historical, :egress, :egressBytes,"
                + " :points, :version, :wallet, :problem, :seen, :failures)"
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
                + " last_seen_at = case when :reached then excluded.at else s.last_seen_at end,"
                + " consecutive_failures = case when :reached then 0 else s.consecutive_failures + 1 end");
        bind(latest, nodeId, at, o).setParameter("wallet", text(o.wallet())).setParameter("problem", text(o.problem()))
                .setParameter("seen", new TypedParameterValue<>(StandardBasicTypes.INSTANT, reached ? at : null)).setParameter("failures", reached ? 0 : 1)
                .setParameter("reached", reached).executeUpdate();
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

    static TypedParameterValue<Long> whole(Long value) {
        return new TypedParameterValue<>(StandardBasicTypes.LONG, value);
    }
}
