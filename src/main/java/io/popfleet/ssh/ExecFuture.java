package io.popfleet.ssh;

import java.util.concurrent.CompletableFuture;

import io.popfleet.api.FailureKind;

/**
 * The pending result of one remote command. {@link #cancel} does not throw a CancellationException at the
 * caller: it completes with a {@code cancelled} result and closes the channel, so the remote command gets SIGHUP'd
 * by sshd instead of running on unobserved.
 */
public final class ExecFuture extends CompletableFuture<ExecResult> {

    private volatile Runnable onCancel = () -> {
    };

    void onCancel(Runnable action) {
        onCancel = action;
        if (isDone()) {
            action.run();
        }
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean completed = complete(ExecResult.failed(FailureKind.CANCELLED, "cancelled by the controller",
                new PhaseTimings(java.time.Duration.ZERO, java.time.Duration.ZERO, java.time.Duration.ZERO, false)));
        onCancel.run();
        return completed;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }
}
