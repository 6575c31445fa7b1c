package io.popfleet.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import io.popfleet.ops.LeaderboardAnswer;
import io.popfleet.ops.LeaderboardAnswer.RankingSource;
import io.popfleet.runs.TargetFinished;

/**
 * Keeps each node's position in an external ranking from its {@code leaderboard} answers (data.ranking_source).
 * A node that reports no source has none: its row goes, so a removed source does not leave a stale rank behind.
 */
@ApplicationScoped
public class RankingRecorder {

    @Inject
    EntityManager em;

    /** In the target's transaction (see {@link TargetFinished}): the rank and the answer it came from commit together. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onTargetFinished(@Observes TargetFinished finished) {
        if (finished.nodeId() != null) {
            finished.answer(LeaderboardAnswer.class).ifPresent(answer -> record(finished.nodeId(), answer));
        }
    }

    private void record(long nodeId, LeaderboardAnswer answer) {
        RankingSource source = answer.rankingSource();
        if (source == null || source.url() == null) {
            em.createNativeQuery("delete from node_ranking where node_id = :node").setParameter("node", nodeId)
                    .executeUpdate();
            return;
        }
        em.createNativeQuery("insert into node_ranking (node_id, observed_at, source, rank, total, simulated, error)"
                + " values (:node, now(), :source, :rank, :total, :simulated, :error) on conflict (node_id) do update"
                + " set observed_at = excluded.observed_at, source = excluded.source, rank = excluded.rank,"
                + " total = excluded.total, simulated = excluded.simulated, error = excluded.error")
                .setParameter("node", nodeId).setParameter("source", source.url())
                .setParameter("rank", new TypedParameterValue<>(StandardBasicTypes.INTEGER, integer(source.rank())))
                .setParameter("total", new TypedParameterValue<>(StandardBasicTypes.INTEGER, integer(source.total())))
                .setParameter("simulated", source.simulated())
                .setParameter("error", new TypedParameterValue<>(StandardBasicTypes.STRING, source.error()))
                .executeUpdate();
    }

    private static Integer integer(Long value) {
        return value == null ? null : value.intValue();
    }
}
