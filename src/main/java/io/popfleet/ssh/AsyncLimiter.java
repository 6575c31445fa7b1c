package io.popfleet.ssh;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A semaphore whose waiters are futures, not parked threads: 1,000 queued connects cost 1,000 small objects, not
 * 1,000 threads. Permits are handed over in arrival order.
 */
final class AsyncLimiter {

    private final int permits;
    private final AtomicInteger inUse = new AtomicInteger();
    private final ConcurrentLinkedQueue<CompletableFuture<Void>> waiting = new ConcurrentLinkedQueue<>();

    AsyncLimiter(int permits) {
        if (permits < 1) {
            throw new IllegalArgumentException("permits must be positive: " + permits);
        }
        this.permits = permits;
    }

    CompletableFuture<Void> acquire() {
        CompletableFuture<Void> ticket = new CompletableFuture<>();
        waiting.add(ticket);
        dispatch();
        return ticket;
    }

    void release() {
        inUse.decrementAndGet();
        dispatch();
    }

    int inUse() {
        return inUse.get();
    }

    private void dispatch() {
        while (!waiting.isEmpty()) {
            int current = inUse.get();
            if (current >= permits) {
                return;
            }
            if (!inUse.compareAndSet(current, current + 1)) {
                continue;
            }
            CompletableFuture<Void> next = waiting.poll();
            if (next == null || !next.complete(null)) {
                // nobody (or a cancelled waiter) took the permit: give it back and look again
                inUse.decrementAndGet();
            }
        }
    }
}
