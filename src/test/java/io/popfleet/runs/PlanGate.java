package io.popfleet.runs;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Holds concurrent attempts to plan a run inside their transactions until every attempt has either planned or given
 * up, so a race between two planners (two controllers) happens every time instead of by luck: without a lock both
 * see no run and both plan one. Inert until a test arms it.
 */
@ApplicationScoped
public class PlanGate {

    private final AtomicReference<Gate> armed = new AtomicReference<>();

    /** Arms the gate for {@code attempts} attempts, each made through {@link Gate#attempt}. */
    public Gate arm(int attempts) {
        Gate gate = new Gate(attempts);
        armed.set(gate);
        return gate;
    }

    public void disarm() {
        armed.set(null);
    }

    // Synchronous: runs in the planner's thread and transaction, before it commits.
    void onPlanned(@Observes RunExecutor.RunPlanned planned) {
        Gate gate = armed.get();
        if (gate != null) {
            gate.arrive();
        }
    }

    /** One race: every attempt counts once, when it has planned a run or when it returns without one. */
    public static final class Gate {
        private final CountDownLatch settled;
        private final ThreadLocal<Boolean> counted = ThreadLocal.withInitial(() -> false);

        private Gate(int attempts) {
            settled = new CountDownLatch(attempts);
        }

        public <T> T attempt(Supplier<T> body) {
            try {
                return body.get();
            } finally {
                countOnce();
            }
        }

        private void arrive() {
            countOnce();
            try {
                // Bounded: an implementation whose second attempt waits for this transaction must not hang the test.
                settled.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void countOnce() {
            if (!counted.get()) {
                counted.set(true);
                settled.countDown();
            }
        }
    }
}
