package io.popfleet.metrics;

import java.util.Map;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

/**
 * Keeps each node's position in an external ranking from its {@code leaderboard} answers (data.ranking_source).
 * A node that reports no source has none: its row goes, so a removed source does not leave a stale rank behind.
 */
@ApplicationScoped
public class RankingRecorder {

    @Inject
    EntityManager em;

    @Transactional(Transactional.TxType.MANDATORY)
    public void record(long nodeId, Map<String, Object> data) {
        Map<String, Object> source = StatusFields.map(data.get("ranking_source"));
        String url = StatusFields.text(source.get("url"));
        if (url == null) {
            em.createNativeQuery("delete from node_ranking where node_id = :node").setParameter("node", nodeId)
                    .executeUpdate();
            return;
        }
        Long rank = StatusFields.whole(source.get("rank"));
        Long total = StatusFields.whole(source.get("total"));
        em.createNativeQuery("insert into node_ranking (node_id, observed_at, source, rank, total, simulated, error)"
                + " values (:node, now(), :source, :rank, :total, :simulated, :error) on conflict (node_id) do update"
                + " set observed_at = excluded.observed_at, source = excluded.source, rank = excluded.rank,"
                + " total = excluded.total, simulated = excluded.simulated, error = excluded.error")
                .setParameter("node", nodeId).setParameter("source", url)
                .setParameter("rank", new TypedParameterValue<>(StandardBasicTypes.INTEGER,
                        rank == null ? null : rank.intValue()))
                .setParameter("total", new TypedParameterValue<>(StandardBasicTypes.INTEGER,
                        total == null ? null : total.intValue()))
                .setParameter("simulated", Boolean.TRUE.equals(StatusFields.bool(source.get("simulated"))))
                .setParameter("error", new TypedParameterValue<>(StandardBasicTypes.STRING,
                        StatusFields.text(source.get("error"))))
                .executeUpdate();
    }
}
