package io.popfleet.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sharing and ordering rules of {@link RunFeeds} against a run table held in memory; the stream over a real
 * database and real nodes is {@code FleetRunTest}'s.
 */
class RunFeedsTest {

    private static final long RUN = 7;
    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");

    private final List<RunTarget> table = new ArrayList<>();
    private final AtomicInteger targetReads = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private String runState = "running";
    /** When the signal last said the run changed (the feed's clock); MAX_VALUE: the signal cannot tell. */
    private long signalledAt = Long.MAX_VALUE;

    private final RunFeeds feeds = new RunFeeds(new RunFeeds.Source() {
        @Override
        public List<RunTarget> changedSince(long runId, Instant since) {
            targetReads.incrementAndGet();
            return table.stream().filter(t -> t.runId == runId && t.updatedAt.isAfter(since)).toList();
        }

        @Override
        public RunView run(long runId) {
            return new RunView(runId, "status", List.of(), false, "all", "alice", null, runState, table.size(),
                    Map.of(), T0, null);
        }

        @Override
        public boolean changedSince(long runId, long nanos) {
            return signalledAt == Long.MAX_VALUE || signalledAt - nanos >= 0;
        }
    }, now::get);

    @Test
    void manyWatchersWithinOneIntervalShareOneRead() {
        change(1, TargetState.RUNNING, 1);
        for (int watcher = 0; watcher < 10; watcher++) {
            assertThat(feeds.changes(RUN, 0).targets()).extracting(t -> t.id).containsExactly(1L);
        }
        assertThat(targetReads).hasValue(1);
        assertThat(feeds.reads(RUN)).isEqualTo(1);

        advance(RunFeeds.REFRESH.toMillis());
        for (int watcher = 0; watcher < 10; watcher++) {
            feeds.changes(RUN, 1);
        }
        assertThat(targetReads).hasValue(2);
    }

    @Test
    void eachWatcherGetsEveryChangeOnceFromItsOwnPlace() {
        change(1, TargetState.RUNNING, 1);
        RunFeeds.Changes early = feeds.changes(RUN, 0);

        change(1, TargetState.OK, 2);
        change(2, TargetState.FAILED, 3);
        advance(RunFeeds.REFRESH.toMillis());
        RunFeeds.Changes next = feeds.changes(RUN, early.next());
        assertThat(next.targets()).extracting(t -> t.id + ":" + t.state).containsExactly("1:OK", "2:FAILED");

        // A watcher arriving now sees the whole history so far, in order; one already up to date sees nothing.
        assertThat(feeds.changes(RUN, 0).targets()).extracting(t -> t.id + ":" + t.state)
                .containsExactly("1:RUNNING", "1:OK", "2:FAILED");
        assertThat(feeds.changes(RUN, next.next()).targets()).isEmpty();
    }

    @Test
    void aChangeCommittedLateWithAnOlderStampIsStillSentAndNothingTwice() {
        change(2, TargetState.OK, 10);
        RunFeeds.Changes first = feeds.changes(RUN, 0);
        // Stamped before the newest change seen, visible only now: inside the commit-skew window it is re-read.
        change(1, TargetState.OK, 9);
        advance(RunFeeds.REFRESH.toMillis());
        assertThat(feeds.changes(RUN, first.next()).targets()).extracting(t -> t.id).containsExactly(1L);
        advance(RunFeeds.REFRESH.toMillis());
        assertThat(feeds.changes(RUN, first.next() + 1).targets()).isEmpty();
    }

    @Test
    void anEndedRunIsNotReadAgainAndAnIdleFeedIsForgotten() {
        change(1, TargetState.OK, 1);
        runState = "finished";
        assertThat(feeds.changes(RUN, 0).run().isRunningState()).isFalse();
        advance(RunFeeds.REFRESH.toMillis() * 5);
        feeds.changes(RUN, 1);
        assertThat(targetReads).hasValue(1);

        advance(RunFeeds.IDLE.toMillis() + 1);
        feeds.changes(RUN + 1, 0);
        assertThat(feeds.watched()).isEqualTo(1);
        assertThat(feeds.reads(RUN)).isZero();
    }

    @Test
    void aQuietRunIsReadOnlyWhenSignalledOrAfterTheQuietLimit() {
        change(1, TargetState.RUNNING, 1);
        signalledAt = now.get() - 1;
        RunFeeds.Changes first = feeds.changes(RUN, 0);
        assertThat(targetReads).hasValue(1);

        // Nothing signalled: intervals pass without a read.
        for (int tick = 0; tick < 5; tick++) {
            advance(RunFeeds.REFRESH.toMillis());
            assertThat(feeds.changes(RUN, first.next()).targets()).isEmpty();
        }
        assertThat(targetReads).hasValue(1);

        // A change and its notice: read at once (the interval has passed).
        change(1, TargetState.OK, 2);
        signalledAt = now.get() - 1;
        assertThat(feeds.changes(RUN, first.next()).targets()).extracting(t -> t.state)
                .containsExactly(TargetState.OK);
        assertThat(targetReads).hasValue(2);

        // A change whose notice never came is still seen within the quiet limit.
        change(2, TargetState.FAILED, 3);
        advance(RunFeeds.QUIET.toMillis() - RunFeeds.REFRESH.toMillis());
        assertThat(feeds.changes(RUN, first.next() + 1).targets()).isEmpty();
        advance(RunFeeds.REFRESH.toMillis());
        assertThat(feeds.changes(RUN, first.next() + 1).targets()).extracting(t -> t.id).containsExactly(2L);
        assertThat(targetReads).hasValue(3);
    }

    private void change(long id, TargetState state, int second) {
        table.removeIf(t -> t.id == id);
        RunTarget target = new RunTarget();
        target.id = id;
        target.runId = RUN;
        target.nodeName = "node-" + id;
        target.state = state;
        target.updatedAt = T0.plusSeconds(second);
        table.add(target);
    }

    private void advance(long millis) {
        now.addAndGet(millis * 1_000_000L);
    }
}
