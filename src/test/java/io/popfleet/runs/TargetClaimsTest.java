package io.popfleet.runs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.FailureKind;
import io.popfleet.inventory.NodeService;
import io.popfleet.ops.OperationCall;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.ManualExecutorProfile;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.mutating;
import static io.popfleet.testing.RunRequests.read;
import static io.popfleet.testing.RunRequests.tagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

@QuarkusTest
@TestProfile(ManualExecutorProfile.class)
class TargetClaimsTest {

    private static final OperationCall STATUS = read("status");

    @Inject
    NodeService nodes;

    @Inject
    RunPlanner planner;

    @Inject
    TargetClaims claims;

    @Inject
    RunService runs;

    @Inject
    FinishedTargets finished;

    @Inject
    TargetResults results;

    @BeforeEach
    void fleetOf200() {
        Inventory.clearWithRuns();
        finished.forget();
        for (int i = 0; i < 200; i++) {
            nodes.create(aNode().named(String.format("pop-%03d", i)).at("10.9." + (i / 200) + "." + (i % 200 + 1), 22)
                    .enabled(i != 199).inGroup(i % 2 == 0 ? "even" : "odd").withTag(i < 10 ? "canary" : "bulk").build(),
                    "test");
        }
    }

    @Test
    void planningWritesOneQueuedTargetPerSelectedEnabledNode() {
        Run run = planner.plan(STATUS, NodeSelection.all(), "tester");
        assertThat(run.total).isEqualTo(199);
        assertThat(planner.count(new NodeSelection(List.of("even"), List.of("canary"), null, null, false)))
                .isEqualTo(5);
        Run canaries = planner.plan(STATUS, tagged("canary"), "tester");
        assertThat(canaries.total).isEqualTo(10);
        assertThat(canaries.selection).isEqualTo("enabled nodes, tag canary");
        assertThatThrownBy(() -> planner.plan(STATUS, NodeSelection.named(List.of("no-such-node")), "tester"))
                .isInstanceOf(BadRequestProblem.class).hasMessageContaining("no enabled node");
    }

    @Test
    void twoExecutorsSplitA200NodeRunWithoutClaimingAnyTargetTwice() throws Exception {
        Run run = planner.plan(STATUS, new NodeSelection(null, null, null, null, true), "tester");
        assertThat(run.total).isEqualTo(200);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Callable<List<Long>>> executors = new ArrayList<>();
            for (String name : List.of("controller-a", "controller-b")) {
                executors.add(() -> {
                    List<Long> mine = new ArrayList<>();
                    List<ClaimedTarget> batch;
                    while (!(batch = claims.claim(name, 7)).isEmpty()) {
                        batch.forEach(target -> mine.add(target.targetId()));
                    }
                    return mine;
                });
            }
            List<Future<List<Long>>> results = pool.invokeAll(executors);
            List<Long> a = results.get(0).get();
            List<Long> b = results.get(1).get();
            Set<Long> all = new HashSet<>(a);
            all.addAll(b);
            assertThat(a.size() + b.size()).isEqualTo(200);
            assertThat(all).hasSize(200);
            assertThat(Collections.disjoint(a, b)).isTrue();
        } finally {
            pool.shutdownNow();
        }
        Number claimedTwice = (Number) QuarkusTransaction.requiringNew().call(() -> Run.getEntityManager()
                .createNativeQuery("select count(*) from run_target where attempts <> 1").getSingleResult());
        assertThat(claimedTwice.intValue()).isZero();
    }

    @Test
    void anOrphanedReadIsQueuedAgainAndAnOrphanedMutationWaitsForAnOperator() {
        Run read = planner.plan(STATUS, NodeSelection.named(List.of("pop-001")), "tester");
        Run write = planner.plan(mutating("restart"), NodeSelection.named(List.of("pop-002")), "tester");
        assertThat(claims.claim("gone", 10)).hasSize(2);
        // both were started on their nodes (running) when their executor went silent
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(
                "update run_target set state = 'running', started_at = now(),"
                        + " heartbeat_at = now() - interval '10 minutes'").executeUpdate());

        assertThat(claims.sweepOrphans(60)).isEqualTo(2);

        assertThat(stateOf(read.id)).isEqualTo(TargetState.QUEUED);
        assertThat(stateOf(write.id)).isEqualTo(TargetState.ORPHANED);
        assertThat(finished.ofRun(read.id)).as("a requeued read has not finished").isEmpty();
        assertThat(finished.ofRun(write.id)).extracting(TargetFinished::outcome, TargetFinished::failureKind)
                .containsExactly(tuple(TargetState.ORPHANED, FailureKind.ORPHANED));
        List<ClaimedTarget> again = claims.claim("alive", 10);
        assertThat(again).extracting(ClaimedTarget::nodeName).containsExactly("pop-001");
        Run finished = QuarkusTransaction.requiringNew().call(() -> Run.<Run>findById(write.id));
        assertThat(finished.state).isEqualTo(RunState.FINISHED);
    }

    @Test
    void aMutationOnlyClaimedByADeadExecutorIsQueuedAgainSinceItNeverReachedTheNode() {
        Run write = planner.plan(mutating("restart"), NodeSelection.named(List.of("pop-003")), "tester");
        assertThat(claims.claim("gone", 10)).hasSize(1);
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(
                "update run_target set heartbeat_at = now() - interval '10 minutes'").executeUpdate());

        assertThat(claims.sweepOrphans(60)).isEqualTo(1);

        assertThat(stateOf(write.id)).isEqualTo(TargetState.QUEUED);
        assertThat(finished.ofRun(write.id)).as("a requeued mutation has not finished").isEmpty();
        assertThat(claims.claim("alive", 10)).extracting(ClaimedTarget::nodeName).containsExactly("pop-003");
    }

    @Test
    void anExecutorThatStalledPastItsLeaseCannotStartWhatWasSweptAndClaimedByAnother() {
        Run write = planner.plan(mutating("restart"), NodeSelection.named(List.of("pop-004")), "tester");
        long target = claims.claim("stalled", 10).get(0).targetId();
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(
                "update run_target set heartbeat_at = now() - interval '10 minutes'").executeUpdate());
        claims.sweepOrphans(60);
        assertThat(claims.claim("alive", 10)).extracting(ClaimedTarget::targetId).containsExactly(target);

        assertThat(results.started(target, "stalled")).as("the stalled executor must not send it").isFalse();
        assertThat(results.started(target, "alive")).isTrue();
        assertThat(stateOf(write.id)).isEqualTo(TargetState.RUNNING);
        assertThat(results.started(target, "alive")).as("started once").isFalse();
    }

    @Test
    void targetsCancelledWhileQueuedAreAnnouncedAsCancelled() {
        Run run = planner.plan(STATUS, NodeSelection.named(List.of("pop-001", "pop-002", "pop-003")), "tester");
        assertThat(claims.claim("busy", 1)).hasSize(1);

        runs.cancel(run.id, "tester");

        assertThat(finished.ofRun(run.id)).hasSize(2).allSatisfy(event -> {
            assertThat(event.outcome()).isEqualTo(TargetState.CANCELLED);
            assertThat(event.operation()).isEqualTo("status");
            assertThat(event.nodeId()).isNotNull();
        });
    }

    @Test
    void theHeartbeatKeepsOnlyTheTargetsTheExecutorHoldsAlive() {
        Run run = planner.plan(STATUS, NodeSelection.named(List.of("pop-003", "pop-004")), "tester");
        List<ClaimedTarget> mine = claims.claim("me", 10);
        assertThat(mine).hasSize(2);
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(
                "update run_target set heartbeat_at = now() - interval '10 minutes' where run_id = :run")
                .setParameter("run", run.id).executeUpdate());

        // The executor still holds the first; the second it lost (say, its result could not be written).
        assertThat(claims.heartbeat("me", Set.of(mine.get(0).targetId()))).isEqualTo(1);
        assertThat(claims.heartbeat("someone-else", Set.of(mine.get(1).targetId()))).isZero();

        assertThat(claims.sweepOrphans(60)).isEqualTo(1);
        List<TargetState> states = QuarkusTransaction.requiringNew().call(() -> mine.stream()
                .map(claimed -> RunTarget.<RunTarget>findById(claimed.targetId()).state).toList());
        assertThat(states).containsExactly(TargetState.CLAIMED, TargetState.QUEUED);
    }

    private static TargetState stateOf(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> RunTarget.<RunTarget>find("runId", runId)
                .firstResult().state);
    }
}
