package io.popfleet.ssh;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AsyncLimiterTest {

    @Test
    void waitersGetPermitsInArrivalOrderWithoutBlocking() {
        AsyncLimiter limiter = new AsyncLimiter(2);

        CompletableFuture<Void> first = limiter.acquire();
        CompletableFuture<Void> second = limiter.acquire();
        CompletableFuture<Void> third = limiter.acquire();
        CompletableFuture<Void> fourth = limiter.acquire();

        assertThat(first).isDone();
        assertThat(second).isDone();
        assertThat(third).isNotDone();
        limiter.release();
        assertThat(third).isDone();
        assertThat(fourth).isNotDone();
        assertThat(limiter.inUse()).isEqualTo(2);
    }

    @Test
    void aCancelledWaiterDoesNotSwallowAPermit() {
        AsyncLimiter limiter = new AsyncLimiter(1);
        limiter.acquire();
        CompletableFuture<Void> gaveUp = limiter.acquire();
        CompletableFuture<Void> patient = limiter.acquire();

        gaveUp.cancel(false);
        limiter.release();

        assertThat(patient).isDone();
        assertThat(limiter.inUse()).isEqualTo(1);
    }
}
