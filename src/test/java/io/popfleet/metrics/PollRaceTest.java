package io.popfleet.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.inventory.NodeService;
import io.popfleet.runs.PlanGate;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunState;
import io.popfleet.testing.Inventory;

import static io.popfleet.testing.NodeBuilder.aNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two controllers whose timers fire together: each is a thread with its own transaction on the same database, held
 * by {@link PlanGate} inside its transaction until the other has planned or given up, so the race is not luck.
 */
@QuarkusTest
class PollRaceTest {

    @Inject
    MetricsPoller poller;

    @Inject
    NodeService nodes;

    @Inject
    PlanGate gate;

    @BeforeEach
    void twoUnreachableNodes() {
        Inventory.clearWithRuns();
        // Nothing listens on port 1: the polls' targets fail at once and their runs finish.
        nodes.create(aNode().named("race-a").at("127.0.0.9", 1).loggingInAs("pop").build(), "test");
        nodes.create(aNode().named("race-b").at("127.0.0.10", 1).loggingInAs("pop").build(), "test");
    }

    @AfterEach
    void clean() {
        gate.disarm();
        await().atMost(Duration.ofSeconds(60)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> Run.count("state", RunState.RUNNING)) == 0);
        Inventory.clearWithRuns();
    }

    @Test
    void twoControllersStartingAPollAtOnceStartOnePoll() throws Exception {
        List<Optional<Run>> started = race(() -> poller.pollNow());

        assertThat(started).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(monitorRuns("status")).isEqualTo(1);
    }

    @Test
    void twoControllersStartingABackupCheckAtOnceStartOneOfEach() throws Exception {
        List<Optional<Run>> started = race(() -> poller.checkBackupsNow());

        assertThat(started).filteredOn(Optional::isPresent).hasSize(1);
        assertThat(monitorRuns("list-backups")).isEqualTo(1);
        assertThat(monitorRuns("leaderboard")).isEqualTo(1);
    }

    @Test
    void aPollIsMarkedRoutineSoRetentionCompactsIt() {
        Run run = poller.pollNow().orElseThrow();

        assertThat(QuarkusTransaction.requiringNew().call(() -> Run.<Run>findById(run.id).routine)).isTrue();
    }

    private List<Optional<Run>> race(Supplier<Optional<Run>> start) throws Exception {
        PlanGate.Gate race = gate.arm(2);
        ExecutorService controllers = Executors.newFixedThreadPool(2);
        try {
            Future<Optional<Run>> first = controllers.submit(() -> race.attempt(start));
            Future<Optional<Run>> second = controllers.submit(() -> race.attempt(start));
            return List.of(first.get(30, TimeUnit.SECONDS), second.get(30, TimeUnit.SECONDS));
        } finally {
            controllers.shutdownNow();
        }
    }

    private static long monitorRuns(String operation) {
        return QuarkusTransaction.requiringNew().call(() -> Run.count("startedBy = ?1 and operation = ?2",
                MetricsPoller.ACTOR, operation));
    }
}
