package io.popfleet.backup;

import java.time.Instant;

import io.popfleet.database.SqlRow;

/**
 * One restore or migration as it went: its step, and what the checks afterwards found.
 *
 * @param state {@code running}, {@code verified} (the target holds the backup's identity, byte for byte, and is
 *        healthy) or {@code failed} ({@code failure} says where)
 * @param step the last step reached: {@code upload}, {@code stop-old}, {@code restore}, {@code start},
 *        {@code disable-old}, {@code check}, {@code done}
 */
public record RestoreView(long id, String kind, Long archiveId, String archiveName, Long nodeId, String nodeName,
        Long oldNodeId, String oldNodeName, String expectedFingerprint, String fingerprintBefore,
        String fingerprintAfter, Boolean healthy, String state, String step, Long runId, Long stopRunId,
        String warnings, String failure, String startedBy, Instant startedAt, Instant finishedAt) {

    static final String COLUMNS = "id, kind, archive_id, archive_name, node_id, node_name, old_node_id, old_node_name,"
            + " expected_fingerprint, fingerprint_before, fingerprint_after, healthy, state, step, run_id, stop_run_id,"
            + " warnings, failure, started_by, started_at, finished_at";

    public boolean finished() {
        return !"running".equals(state);
    }

    static RestoreView of(SqlRow r) {
        return new RestoreView(r.whole("id"), r.text("kind"), r.whole("archive_id"), r.text("archive_name"),
                r.whole("node_id"), r.text("node_name"), r.whole("old_node_id"), r.text("old_node_name"),
                r.text("expected_fingerprint"), r.text("fingerprint_before"), r.text("fingerprint_after"),
                r.flag("healthy"), r.text("state"), r.text("step"), r.whole("run_id"), r.whole("stop_run_id"),
                r.text("warnings"), r.text("failure"), r.text("started_by"), r.instant("started_at"),
                r.instant("finished_at"));
    }
}
