package io.popfleet.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.sshd.client.SshClient;

import io.popfleet.api.FailureKind;

/**
 * Runs commands on nodes over one shared {@link SshClient}. Everything is asynchronous: the controller's threads
 * are the client's few I/O threads, one timer and a few stdin writers, whatever the size of the fleet. Results
 * complete on an I/O thread; callers must not block in their callbacks.
 */
public final class SshEngine implements AutoCloseable {

    /** 25 + 50 + ... + 400 ms: about a second of patience for a server's channel limit. */
    private static final int MAX_OPEN_REFUSALS = 5;
    private static final int STDIN_WRITERS = 4;

    private final SshSettings settings;
    private final SshClient client;
    private final ScheduledExecutorService timer;
    private final ExecutorService stdinWriter;
    private final SessionPool pool;
    private final ConcurrentHashMap<Long, AsyncLimiter> mutating = new ConcurrentHashMap<>();

    private SshEngine(SshSettings settings, HostKeyStore hostKeys, CredentialSource credentials) {
        this.settings = settings;
        this.client = SshClients.create(settings, new PinnedHostKeyVerifier(hostKeys, settings.hostKeyPolicy()));
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("popfleet-ssh-timer"));
        // A write of stdin encrypts on the writing thread and may wait for the peer's window: with one writer, a
        // cold run's 1,000 tool uploads went through one thread in turn (JFR: a quarter of the controller's CPU on
        // it, the rest of the engine waiting). A few let uploads overlap on every core.
        this.stdinWriter = Executors.newFixedThreadPool(STDIN_WRITERS, daemon("popfleet-ssh-stdin"));
        SessionConnector connector = new SessionConnector(client, credentials, timer,
                settings.maxConcurrentConnects());
        this.pool = new SessionPool(connector, settings.maxChannelsPerSession());
    }

    public static SshEngine start(SshSettings settings, HostKeyStore hostKeys, CredentialSource credentials) {
        SshEngine engine = new SshEngine(settings, hostKeys, credentials);
        engine.client.start();
        long sweep = Math.max(1000, settings.sessionIdleTimeout().toMillis() / 4);
        engine.timer.scheduleWithFixedDelay(() -> engine.pool.expireIdle(settings.sessionIdleTimeout()), sweep, sweep,
                TimeUnit.MILLISECONDS);
        return engine;
    }

    public SshSettings settings() {
        return settings;
    }

    public ExecFuture exec(SshTarget target, String command) {
        return exec(target, command, new byte[0], settings.limits());
    }

    /** Reads may overlap on a node; the result is always classified, never an exception. */
    public ExecFuture exec(SshTarget target, String command, byte[] stdin, ExecLimits limits) {
        return exec(target, command, StdinSource.of(stdin), limits);
    }

    /**
     * As {@link #exec(SshTarget, String, byte[], ExecLimits)}, with stdin read from {@code stdin} as it is sent
     * (opened once per attempt): what a restore sends is never whole in memory.
     */
    public ExecFuture exec(SshTarget target, String command, StdinSource stdin, ExecLimits limits) {
        ExecFuture result = new ExecFuture();
        attempt(target, command, stdin, limits, result, true, 0);
        return result;
    }

    /**
     * Runs {@code work} (one or more execs) when no other mutating work runs on the node, and holds the node until
     * it completes: DESIGN's "one mutating operation per node at a time". Waiting costs a future, not a thread; a
     * read never waits here. The guard is this controller's; the node tool's own lock ({@code conflict}) still
     * refuses a mutation that another controller sends at the same moment.
     */
    public <T> CompletableFuture<T> exclusive(long nodeId, Supplier<? extends CompletableFuture<T>> work) {
        AsyncLimiter lock = mutating.computeIfAbsent(nodeId, id -> new AsyncLimiter(1));
        return lock.acquire().thenCompose(granted -> {
            CompletableFuture<T> running;
            try {
                running = work.get();
            } catch (RuntimeException e) {
                lock.release();
                throw e;
            }
            return running.whenComplete((result, failure) -> lock.release());
        });
    }

    /**
     * Runs a read whose stdout goes to {@code stdout} as it arrives (a file, never a buffer): for archives
     * larger than any command's answer. The sink is written on an I/O thread; up to
     * {@code limits.maxStdoutBytes()} bytes. Not retried on a fresh session once bytes may have reached the sink.
     */
    public ExecFuture stream(SshTarget target, String command, java.io.OutputStream stdout, ExecLimits limits) {
        ExecFuture result = new ExecFuture();
        attemptStreaming(target, command, stdout, limits, result, true);
        return result;
    }

    private void attemptStreaming(SshTarget target, String command, java.io.OutputStream stdout, ExecLimits limits,
            ExecFuture result, boolean mayReconnect) {
        pool.lease(target, limits).whenComplete((lease, failure) -> {
            if (failure != null) {
                SshFailure classified = unwrap(failure);
                result.complete(ExecResult.failed(classified.kind, classified.getMessage(),
                        new PhaseTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO, false)));
                return;
            }
            try {
                new ExecCall(lease, command, StdinSource.EMPTY, limits, result, timer, stdinWriter, null)
                        .streamingTo(stdout).start();
            } catch (ExecCall.NotStarted broken) {
                lease.release();
                pool.evict(target, lease.session());
                if (mayReconnect && lease.reused()) {
                    attemptStreaming(target, command, stdout, limits, result, false);
                } else {
                    result.complete(ExecResult.failed(FailureKind.UNREACHABLE, broken.getMessage(),
                            new PhaseTimings(lease.connect(), lease.auth(), Duration.ZERO, lease.reused())));
                }
            }
        });
    }

    /**
     * @param mayReconnect a reused session that turns out broken is replaced once
     * @param refusals channel opens the server refused so far on a live session; retried with backoff
     */
    private void attempt(SshTarget target, String command, StdinSource stdin, ExecLimits limits, ExecFuture result,
            boolean mayReconnect, int refusals) {
        pool.lease(target, limits).whenComplete((lease, failure) -> {
            if (failure != null) {
                SshFailure classified = unwrap(failure);
                result.complete(ExecResult.failed(classified.kind, classified.getMessage(),
                        new PhaseTimings(Duration.ZERO, Duration.ZERO, Duration.ZERO, false)));
                return;
            }
            if (result.isDone()) {
                lease.release();
                return;
            }
            try {
                Consumer<String> retry = refusals >= MAX_OPEN_REFUSALS ? null
                        : why -> timer.schedule(() -> attempt(target, command, stdin, limits, result, mayReconnect,
                                refusals + 1), 25L << refusals, TimeUnit.MILLISECONDS);
                new ExecCall(lease, command, stdin, limits, result, timer, stdinWriter, retry).start();
            } catch (ExecCall.NotStarted broken) {
                lease.release();
                pool.evict(target, lease.session());
                if (mayReconnect && lease.reused()) {
                    attempt(target, command, stdin, limits, result, false, refusals);
                } else {
                    result.complete(ExecResult.failed(FailureKind.UNREACHABLE, broken.getMessage(),
                            new PhaseTimings(lease.connect(), lease.auth(), Duration.ZERO, lease.reused())));
                }
            }
        });
    }

    private static SshFailure unwrap(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof SshFailure classified ? classified
                : new SshFailure(FailureKind.UNREACHABLE, SessionConnector.describe(cause));
    }

    public int openSessions() {
        return pool.openSessions();
    }

    /** Closes every pooled session now (the benchmark's "cold" runs; an operator's "disconnect all"). */
    public void closeSessions() {
        pool.closeAll();
    }

    @Override
    public void close() {
        pool.closeAll();
        try {
            client.stop();
            client.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            timer.shutdownNow();
            stdinWriter.shutdownNow();
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

}
