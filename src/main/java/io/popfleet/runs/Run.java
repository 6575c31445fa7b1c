package io.popfleet.runs;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One operation with its arguments over a set of nodes, who started it and when. Moves made in Java go through a
 * verb here that checks {@link RunState}'s table; finishing is done in SQL by {@link TargetClaims}, which locks
 * the row first.
 */
@Entity
@Table(name = "run")
public class Run extends PanacheEntityBase {

    @Id
    @SequenceGenerator(name = "run_seq", sequenceName = "run_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "run_seq")
    public Long id;

    @Column(nullable = false)
    public String operation;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public List<String> arguments;

    @Column(nullable = false)
    public boolean mutating;

    /** How the nodes were chosen, as the operator said it (e.g. {@code group=eu-west, tag=canary}). */
    @Column(nullable = false)
    public String selection;

    @Column(name = "started_by", nullable = false)
    public String startedBy;

    @Column(name = "retry_of")
    public Long retryOf;

    /** Planned running: its targets are queued in the same transaction. */
    @Convert(converter = RunStateConverter.class)
    @Column(nullable = false)
    public RunState state = RunState.RUNNING;

    @Column(nullable = false)
    public int total;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /** A scheduled poll: its successful targets are compacted into {@link #compactedOk} ({@link RunRetention}). */
    @Column(nullable = false)
    public boolean routine;

    /** Successful targets whose rows retention removed; still counted as ok. */
    @Column(name = "compacted_ok", nullable = false)
    public int compactedOk;

    @Column(name = "compacted_at")
    public Instant compactedAt;

    @Version
    public long version;

    public boolean isRunning() {
        return state == RunState.RUNNING;
    }

    /** Stopped by an operator: targets already on a node finish; the run itself is over now. */
    public void cancel() {
        move(RunState.CANCELLED);
    }

    // Every move out of running ends the run, so each one stamps the end.
    private void move(RunState next) {
        if (!state.canMoveTo(next)) {
            throw new IllegalTransitionException("run " + id, state, next);
        }
        state = next;
        finishedAt = Instant.now();
    }
}
