package io.popfleet.runs;

import java.util.Optional;

import io.popfleet.api.FailureKind;
import io.popfleet.ops.NodeAnswer;

/**
 * A target left the queue for good: fired inside the transaction that stores its outcome, once per outcome: when
 * a node's result is recorded, when a target fails before reaching its node, when a run is cancelled while the
 * target was still queued ({@code CANCELLED}), and when its executor died and it will not be retried
 * ({@code ORPHANED}, a mutation waiting for an operator; a late result from that node may still follow as a
 * second event with the real outcome). Features that keep figures from node answers (metrics, rankings, backups; next,
 * rollouts) observe it instead of the runs package calling them.
 *
 * <p>Observers run synchronously, in that transaction ({@code @Observes}, not {@code AFTER_SUCCESS}): what a
 * target's answer implies (a node's newest status, its newest backup) commits or rolls back together with the
 * target row, as it did when the runs package called the recorders. So an observer must be quick and must not
 * call out (no SSH, no HTTP); one that starts further work, like a rollout's next batch, observes
 * {@code during = TransactionPhase.AFTER_SUCCESS} instead.
 *
 * @param nodeId null when the node left the inventory while the run was queued
 * @param operation the node-tool command that ran
 * @param outcome {@code OK}, {@code FAILED}, {@code CANCELLED} or {@code ORPHANED}
 * @param failureKind the stored classification ({@code CANCELLED} for a cancelled target), null for {@code OK}
 * @param failureMessage what the operator reads about the failure, else null
 * @param answer the node's data read into its typed record (status, list-backups, leaderboard, wallet-info), when
 *        the node answered one of those; null otherwise
 */
public record TargetFinished(long runId, Long nodeId, String operation, TargetState outcome, FailureKind failureKind,
        String failureMessage, NodeAnswer answer) {

    /** The typed answer of a target that succeeded, when it is of {@code type}. */
    public <T extends NodeAnswer> Optional<T> answer(Class<T> type) {
        return outcome == TargetState.OK && type.isInstance(answer) ? Optional.of(type.cast(answer))
                : Optional.empty();
    }

    static TargetFinished of(RunTarget target, String operation, NodeAnswer answer) {
        return new TargetFinished(target.runId, target.nodeId, operation, target.state, target.failureKind,
                target.failureMessage, answer);
    }
}
