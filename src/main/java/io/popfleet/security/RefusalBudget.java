package io.popfleet.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How many refused requests are written to the audit trail one by one. A hostile page open in an operator's browser
 * can send refused requests in a loop, and every one used to become an audit row: the first {@code perKey} refusals
 * of one kind (address, problem code, request line) in a window are recorded in full, the rest only counted and
 * written as one summary row when the window closes. A cap across all kinds bounds what a spray of addresses or
 * paths can write; what it stops is counted in one shared summary. Nothing refused goes uncounted.
 *
 * <p>Not thread-safe: {@link RefusalAudit} holds its lock around it. Times are passed in so a test can close windows.
 */
final class RefusalBudget {

    /** The shared bucket for refusals beyond {@code total}: one summary for all of them. */
    static final String OVERFLOW = "*";

    private final int perKey;
    private final int total;
    private final Duration window;
    private final int maxKeys;
    private final Map<String, Bucket> buckets = new LinkedHashMap<>();
    private Instant totalWindowStart = Instant.EPOCH;
    private int totalRecorded;

    RefusalBudget(int perKey, int total, Duration window, int maxKeys) {
        this.perKey = perKey;
        this.total = total;
        this.window = window;
        this.maxKeys = maxKeys;
    }

    /** A refusal's fate: write it in full, or only count it. */
    enum Verdict {
        RECORD, COUNT
    }

    /** Refusals counted but not written, to be written as one row. */
    record Summary(String key, Instant since, Instant until, long repeated, String lastTarget) {
    }

    /**
     * Decides for one refusal at {@code now}; {@code closed} receives the summaries of windows that ended, which the
     * caller writes before this refusal.
     */
    Verdict admit(String key, String target, Instant now, List<Summary> closed) {
        closed.addAll(closeBefore(now));
        Bucket bucket = buckets.get(key);
        if (bucket == null) {
            if (totalRecorded >= total || buckets.size() >= maxKeys) {
                count(OVERFLOW, target, now);
                return Verdict.COUNT;
            }
            bucket = new Bucket(now);
            buckets.put(key, bucket);
        }
        if (bucket.recorded < perKey && totalRecorded < total) {
            bucket.recorded++;
            totalRecorded++;
            return Verdict.RECORD;
        }
        bucket.suppressed++;
        bucket.lastTarget = target;
        return Verdict.COUNT;
    }

    /** Ends every window that started at or before {@code now - window}: their counts, for one row each. */
    List<Summary> closeBefore(Instant now) {
        if (!now.isBefore(totalWindowStart.plus(window))) {
            totalWindowStart = now;
            totalRecorded = 0;
        }
        List<Summary> closed = new ArrayList<>();
        for (Iterator<Map.Entry<String, Bucket>> it = buckets.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Bucket> entry = it.next();
            Bucket bucket = entry.getValue();
            if (!bucket.start.plus(window).isAfter(now)) {
                if (bucket.suppressed > 0) {
                    closed.add(new Summary(entry.getKey(), bucket.start, now, bucket.suppressed, bucket.lastTarget));
                }
                it.remove();
            }
        }
        return closed;
    }

    /** Every count not yet written, whatever its window: at shutdown. */
    List<Summary> closeAll(Instant now) {
        return closeBefore(now.plus(window));
    }

    private void count(String key, String target, Instant now) {
        // The overflow bucket may exceed maxKeys by one: it is what keeps the map bounded.
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(now));
        bucket.suppressed++;
        bucket.lastTarget = target;
    }

    private static final class Bucket {
        final Instant start;
        int recorded;
        long suppressed;
        String lastTarget;

        Bucket(Instant start) {
            this.start = start;
        }
    }
}
