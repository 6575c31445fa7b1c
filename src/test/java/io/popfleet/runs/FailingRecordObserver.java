package io.popfleet.runs;

import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A feature that breaks while a target's outcome is stored, for one node a test names: its observer runs in the
 * transaction of {@code record}, so the write rolls back, as a NUL in the output once made it. Idle otherwise.
 */
@ApplicationScoped
public class FailingRecordObserver {

    static final AtomicReference<Long> FAIL_FOR_NODE = new AtomicReference<>();

    void onTargetFinished(@Observes TargetFinished finished) {
        Long node = FAIL_FOR_NODE.get();
        if (node != null && node.equals(finished.nodeId())) {
            throw new IllegalStateException("a feature failed storing what node " + node + " answered");
        }
    }
}
