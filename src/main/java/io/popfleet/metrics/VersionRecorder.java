package io.popfleet.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.ops.RunningVersion;
import io.popfleet.runs.TargetFinished;

/**
 * Keeps the version a node reports to an {@code update}, a roll-back, a {@code health} check or {@code version} as
 * its newest known version, whoever ran it (a rollout or an operator's run): drift, the fleet's versions and the next
 * rollout's preview see it at once, not at the next poll. {@code status} answers are {@link MetricRecorder}'s.
 */
@ApplicationScoped
public class VersionRecorder {

    @Inject
    EntityManager em;

    /** In the target's transaction (see {@link TargetFinished}): the version and its target commit together. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onTargetFinished(@Observes TargetFinished finished) {
        if (finished.nodeId() != null) {
            finished.answer(RunningVersion.class).ifPresent(answer -> em.createNativeQuery(
                    "update node_status set binary_version = :version where node_id = :node")
                    .setParameter("version", answer.version()).setParameter("node", finished.nodeId())
                    .executeUpdate());
        }
    }
}
