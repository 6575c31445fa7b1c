package io.popfleet.runs;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/** Hears every {@link TargetFinished} as a feature would, so tests can check who was told what. */
@Singleton
public class FinishedTargets {

    private final ConcurrentLinkedQueue<TargetFinished> heard = new ConcurrentLinkedQueue<>();

    void onTargetFinished(@Observes TargetFinished finished) {
        heard.add(finished);
    }

    public List<TargetFinished> ofRun(long runId) {
        return heard.stream().filter(event -> event.runId() == runId).toList();
    }

    public void forget() {
        heard.clear();
    }
}
