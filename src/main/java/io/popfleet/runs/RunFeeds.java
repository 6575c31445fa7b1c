package io.popfleet.runs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The live progress of the runs being watched, read from PostgreSQL at most once per interval per run however many
 * watchers follow it (ten people on one run page cost one read, not ten), and only after PostgreSQL said the run
 * changed ({@link RunChangeSignal}): a quiet run costs no read at all but one every {@link #QUIET} as a safeguard.
 * Each run's changes are kept in order in memory while someone watches it; each watcher keeps only its place.
 */
@ApplicationScoped
public class RunFeeds {

    /** How stale a watcher's view may be; a new read happens at most this often per run. */
    static final Duration REFRESH = Duration.ofMillis(400);

    /** The longest a watched, running run goes unread when no change is signalled. */
    static final Duration QUIET = Duration.ofSeconds(10);

    /** A run nobody has asked about for this long is forgotten (its watchers have gone). */
    static final Duration IDLE = Duration.ofSeconds(60);

    /**
     * Longer than any record transaction takes to commit after it stamps its target: {@code updatedAt} is stamped
     * before commit and executors commit out of order, so a change stamped just before the newest one seen may
     * become visible only later. Each read re-reads this window and keeps each (target, state) once.
     */
    static final Duration COMMIT_SKEW = Duration.ofSeconds(5);

    /** Where a feed reads from: the database in the controller, a table in memory in the feed's own test. */
    interface Source {
        List<RunTarget> changedSince(long runId, Instant since);

        RunView run(long runId);

        /** Whether the run may have changed since {@code nanos} (by the feed's clock); true when unknown. */
        boolean changedSince(long runId, long nanos);
    }

    /** A run's changes from a watcher's place on, the place after them, and the run's totals now. */
    public record Changes(List<RunTarget> targets, int next, RunView run) {
    }

    private final ConcurrentHashMap<Long, Feed> feeds = new ConcurrentHashMap<>();
    private final Source source;
    private final LongSupplier nanoClock;

    @Inject
    RunFeeds(RunService runs, RunChangeSignal signal) {
        this(new Source() {
            @Override
            public List<RunTarget> changedSince(long runId, Instant since) {
                return runs.changedSince(runId, since);
            }

            @Override
            public RunView run(long runId) {
                return runs.get(runId).orElseThrow();
            }

            @Override
            public boolean changedSince(long runId, long nanos) {
                return signal.changedSince(runId, nanos);
            }
        }, System::nanoTime);
    }

    RunFeeds(Source source, LongSupplier nanoClock) {
        this.source = source;
        this.nanoClock = nanoClock;
    }

    /** The run's changes after position {@code from} (0 for a new watcher: everything seen so far). */
    public Changes changes(long runId, int from) {
        long now = nanoClock.getAsLong();
        forgetIdle(now);
        return feeds.computeIfAbsent(runId, Feed::new).read(from, now);
    }

    /** Runs whose changes are held now (for tests and the status of a busy controller). */
    int watched() {
        return feeds.size();
    }

    private void forgetIdle(long now) {
        feeds.values().removeIf(feed -> now - feed.askedAt > IDLE.toNanos());
    }

    private final class Feed {
        private final long runId;
        private final List<RunTarget> log = new ArrayList<>();
        private final Set<String> seen = new HashSet<>();
        private Instant since = Instant.EPOCH;
        private RunView run;
        private long readAt;
        private volatile long askedAt;
        private int reads;

        synchronized int reads() {
            return reads;
        }

        Feed(long runId) {
            this.runId = runId;
            this.askedAt = nanoClock.getAsLong();
        }

        synchronized Changes read(int from, long now) {
            askedAt = now;
            boolean ended = run != null && !run.isRunningState();
            long age = now - readAt;
            if (run == null || (!ended && age >= REFRESH.toNanos()
                    && (age >= QUIET.toNanos() || source.changedSince(runId, readAt)))) {
                refresh(now);
            }
            int start = Math.min(Math.max(from, 0), log.size());
            return new Changes(List.copyOf(log.subList(start, log.size())), log.size(), run);
        }

        private void refresh(long now) {
            reads++;
            // The run first: when it reads as ended, every target change committed before it is in the read below.
            RunView current = source.run(runId);
            for (RunTarget target : source.changedSince(runId, since.minus(COMMIT_SKEW))) {
                if (seen.add(target.id + ":" + target.state + ":" + target.updatedAt)) {
                    log.add(target);
                }
                if (target.updatedAt.isAfter(since)) {
                    since = target.updatedAt;
                }
            }
            run = current;
            readAt = now;
        }
    }

    /** How many times a run's feed has read the database (its own test counts them). */
    int reads(long runId) {
        Feed feed = feeds.get(runId);
        return feed == null ? 0 : feed.reads();
    }
}
