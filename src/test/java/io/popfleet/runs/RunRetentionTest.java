package io.popfleet.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.testing.Inventory;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs of chosen ages, retention applied as of a chosen time (defaults: 1 h detail, routine 7 d, others 365 d). */
@QuarkusTest
class RunRetentionTest {

    private static final Instant NOW = Instant.now();

    @Inject
    RunRetention retention;

    @Inject
    RunService runs;

    @BeforeEach
    @AfterEach
    void noRuns() {
        Inventory.clearWithRuns();
    }

    @Test
    void aFinishedPollKeepsItsFailuresAndTheCountOfItsSuccesses() {
        long old = run(true, RunState.FINISHED, ago(Duration.ofHours(3)), ago(Duration.ofHours(2)),
                "ok", "ok", "ok", "failed");
        long recent = run(true, RunState.FINISHED, ago(Duration.ofMinutes(20)), ago(Duration.ofMinutes(15)),
                "ok", "failed");
        long operators = run(false, RunState.FINISHED, ago(Duration.ofHours(3)), ago(Duration.ofHours(2)), "ok");

        RunRetention.Result result = retention.apply(NOW);

        assertThat(result).isEqualTo(new RunRetention.Result(1, 3, 0));
        RunView compacted = runs.get(old).orElseThrow();
        assertThat(compacted.count("ok")).isEqualTo(3);
        assertThat(compacted.count("failed")).isEqualTo(1);
        assertThat(compacted.done()).isEqualTo(4);
        assertThat(runs.targets(old, null, 0, 10)).extracting(TargetView::state).containsExactly("failed");
        assertThat(runs.countTargets(recent, null)).as("within its detail period").isEqualTo(2);
        assertThat(runs.countTargets(operators, null)).as("an operator's run is never compacted").isEqualTo(1);
        assertThat(retention.apply(NOW)).isEqualTo(new RunRetention.Result(0, 0, 0));
    }

    @Test
    void runsPastTheirRetentionAreDeletedWithTheirTargetsAndAReRunLosesOnlyItsLink() {
        long oldPoll = run(true, RunState.FINISHED, ago(Duration.ofDays(8)), ago(Duration.ofDays(8)), "ok", "failed");
        long weekOldPoll = run(true, RunState.FINISHED, ago(Duration.ofDays(6)), ago(Duration.ofDays(6)), "failed");
        long lastYear = run(false, RunState.FINISHED, ago(Duration.ofDays(400)), ago(Duration.ofDays(400)), "failed");
        long reRun = run(false, RunState.FINISHED, ago(Duration.ofDays(10)), ago(Duration.ofDays(10)), "ok");
        QuarkusTransaction.requiringNew().run(() -> Run.update("retryOf = ?1 where id = ?2", lastYear, reRun));
        // Its one target is "running" with no heartbeat: neither the executor nor the orphan sweep touches it.
        long stillRunning = run(true, RunState.RUNNING, ago(Duration.ofDays(9)), null, "running");

        RunRetention.Result result = retention.apply(NOW);

        assertThat(result.runsDeleted()).isEqualTo(2);
        assertThat(runs.get(oldPoll)).isEmpty();
        assertThat(runs.get(lastYear)).isEmpty();
        assertThat(runs.get(weekOldPoll)).isPresent();
        assertThat(runs.get(stillRunning)).as("a running run is never deleted").isPresent();
        assertThat(runs.get(reRun).orElseThrow().retryOf()).isNull();
        long orphanTargets = QuarkusTransaction.requiringNew().call(() -> RunTarget.count("runId in ?1",
                List.of(oldPoll, lastYear)));
        assertThat(orphanTargets).isZero();
    }

    private static Instant ago(Duration age) {
        return NOW.minus(age);
    }

    private static long run(boolean routine, RunState state, Instant created, Instant finished, String... targets) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Run run = new Run();
            run.operation = "status";
            run.arguments = List.of();
            run.mutating = false;
            run.selection = "all";
            run.startedBy = routine ? "monitor" : "test";
            run.routine = routine;
            run.state = state;
            run.total = targets.length;
            run.createdAt = created;
            run.finishedAt = finished;
            run.persist();
            Run.getEntityManager().flush();
            for (int i = 0; i < targets.length; i++) {
                Run.getEntityManager().createNativeQuery("insert into run_target (id, run_id, node_name, state,"
                        + " updated_at) values (nextval('run_target_seq'), :run, :name, :state, now())")
                        .setParameter("run", run.id).setParameter("name", "node-" + i)
                        .setParameter("state", targets[i]).executeUpdate();
            }
            return run.id;
        });
    }
}
