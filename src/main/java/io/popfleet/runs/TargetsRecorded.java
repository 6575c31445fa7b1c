package io.popfleet.runs;

/**
 * Fired in a result transaction after its {@link TargetFinished} events: observers that queued work for the
 * transaction's end (a batch of rows) write it now, while the transaction runs, instead of in its before-completion
 * phase, where a statement leaves the pool a connection it finds open at commit and warns about
 * (quarkusio/quarkus#41757): one warning per result batch, every poll.
 */
public record TargetsRecorded(int targets) {
}
