package io.popfleet.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;

import io.popfleet.api.FailureKind;

/**
 * One command on one channel of a leased session: capped output, an exec-phase timer, and a result read from the
 * channel's exit status once it has closed (never from stderr contents). Any forced end (timeout, output overflow,
 * cancellation) records why, then closes the channel; the close listener builds the one result.
 */
final class ExecCall {

    /** Tells the engine the command never started on a reused session, so one retry on a fresh one is safe. */
    static final class NotStarted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotStarted(String message) {
            super(message, null, false, false);
        }
    }

    private final SessionLease lease;
    private final String command;
    private final StdinSource stdin;
    private final ExecLimits limits;
    private final ExecFuture result;
    private final ScheduledExecutorService timer;
    private final Executor stdinWriter;
    private final Consumer<String> openRefused;
    private OutputStream stdoutSink;
    private final AtomicBoolean finished = new AtomicBoolean();
    private volatile String refusedOpen;
    private volatile FailureKind forced;
    private volatile String forcedMessage;
    private CappedOutput stdout;
    private CappedOutput stderr;
    private ChannelExec channel;
    private long started;
    private ScheduledFuture<?> timeout;

    /**
     * @param openRefused told (instead of completing the result) when the server refuses the channel while the
     *            session stays up: the command never started, so the engine may try again; null for no retry
     */
    ExecCall(SessionLease lease, String command, StdinSource stdin, ExecLimits limits, ExecFuture result,
            ScheduledExecutorService timer, Executor stdinWriter, Consumer<String> openRefused) {
        this.openRefused = openRefused;
        this.lease = lease;
        this.command = command;
        this.stdin = stdin;
        this.limits = limits;
        this.result = result;
        this.timer = timer;
        this.stdinWriter = stdinWriter;
    }

    /**
     * Sends stdout to {@code sink} instead of a buffer (a backup archive, streamed to disk): at most
     * {@code maxStdoutBytes} reach it, and a sink that fails ends the command. The result's stdout is then empty.
     */
    ExecCall streamingTo(OutputStream sink) {
        this.stdoutSink = sink;
        return this;
    }

    /** @throws NotStarted when the channel could not even be created (the session is broken) */
    void start() {
        ClientSession session = lease.session();
        started = System.nanoTime();
        try {
            channel = session.createExecChannel(command);
        } catch (IOException | RuntimeException e) {
            throw new NotStarted("cannot open a channel: " + SessionConnector.describe(e));
        }
        stdout = new CappedOutput(limits.maxStdoutBytes(), () -> force(FailureKind.BAD_OUTPUT,
                "stdout exceeded " + limits.maxStdoutBytes() + " bytes"));
        stderr = new CappedOutput(limits.maxStderrBytes(), () -> force(FailureKind.BAD_OUTPUT,
                "stderr exceeded " + limits.maxStderrBytes() + " bytes"));
        channel.setOut(stdoutSink == null ? stdout : new SinkOutput(stdoutSink, limits.maxStdoutBytes()));
        channel.setErr(stderr);
        channel.addCloseFutureListener(closed -> finish());
        timeout = timer.schedule(() -> force(FailureKind.TIMEOUT,
                "command timed out after " + limits.execTimeout().toMillis() + " ms"),
                limits.execTimeout().toMillis(), TimeUnit.MILLISECONDS);
        result.onCancel(() -> force(FailureKind.CANCELLED, "cancelled by the controller"));
        try {
            channel.open().addListener(opened -> {
                if (!opened.isOpened()) {
                    String why = "channel refused: " + SessionConnector.describe(opened.getException());
                    if (openRefused != null && forced == null && session.isOpen() && !session.isClosing()) {
                        // OpenSSH frees a finished channel's slot (MaxSessions) a moment after its close
                        refusedOpen = why;
                        channel.close(true);
                    } else {
                        force(FailureKind.UNREACHABLE, why);
                    }
                } else {
                    sendStdin();
                }
            });
        } catch (IOException | RuntimeException e) {
            force(FailureKind.UNREACHABLE, "channel refused: " + SessionConnector.describe(e));
        }
    }

    private void sendStdin() {
        OutputStream in = channel.getInvertedIn();
        if (stdin == StdinSource.EMPTY) {
            closeQuietly(in);
            return;
        }
        // reading the source and writing (which may wait for the peer's window) never on an I/O thread
        stdinWriter.execute(() -> {
            InputStream source;
            try {
                source = stdin.open();
            } catch (IOException | RuntimeException e) {
                // nothing was sent: the command sees no stdin at all rather than a clean, empty one
                force(FailureKind.INTERNAL, "stdin could not be read: " + e.getMessage());
                return;
            }
            if (source == null) {
                closeQuietly(in);
                return;
            }
            try (source) {
                byte[] buffer = new byte[32 * 1024];
                for (int n = readSource(source, buffer); n >= 0; n = readSource(source, buffer)) {
                    in.write(buffer, 0, n);
                }
                in.flush();
                closeQuietly(in);
            } catch (SourceFailed e) {
                // a source that fails midway (a stored archive that does not decrypt) must not look like a
                // complete stdin: the channel closes without EOF, so the command never takes it as whole
                force(FailureKind.INTERNAL, "stdin could not be read: " + e.getMessage());
            } catch (IOException e) {
                force(FailureKind.UNREACHABLE, "stdin not delivered: " + SessionConnector.describe(e));
                closeQuietly(in);
            }
        });
    }

    private static int readSource(InputStream source, byte[] buffer) throws SourceFailed {
        try {
            return source.read(buffer);
        } catch (IOException | RuntimeException e) {
            throw new SourceFailed(e.getMessage());
        }
    }

    /** The stdin source failed, as opposed to the channel. */
    private static final class SourceFailed extends IOException {
        private static final long serialVersionUID = 1L;

        SourceFailed(String message) {
            super(message, null);
        }
    }

    private void force(FailureKind kind, String message) {
        if (forced == null) {
            forcedMessage = message;
            forced = kind;
        }
        if (channel != null) {
            channel.close(true);
        }
    }

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        if (timeout != null) {
            timeout.cancel(false);
        }
        lease.release();
        if (refusedOpen != null && forced == null) {
            openRefused.accept(refusedOpen);
            return;
        }
        PhaseTimings timings = new PhaseTimings(lease.connect(), lease.auth(),
                Duration.ofNanos(System.nanoTime() - started), lease.reused());
        Integer exit = channel.getExitStatus();
        FailureKind kind = forced;
        String message = forcedMessage;
        if (kind == null) {
            if (exit == null) {
                boolean sessionGone = !lease.session().isOpen() || lease.session().isClosing();
                kind = FailureKind.UNREACHABLE;
                message = sessionGone ? "connection lost during the command"
                        : "command ended without an exit status"
                                + (channel.getExitSignal() == null ? "" : " (signal " + channel.getExitSignal() + ")");
            } else if (exit != 0) {
                kind = FailureKind.NONZERO_EXIT;
                message = "exit code " + exit;
            }
        }
        result.complete(new ExecResult(exit, stdout.text(), stderr.text(), stdout.truncated(), stderr.truncated(),
                timings, kind, message));
    }

    private static void closeQuietly(OutputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // the channel is closing anyway; its close listener reports the outcome
        }
    }

    /** Forwards to the caller's sink up to the cap; past it, or when the sink fails, the command is ended. */
    private final class SinkOutput extends OutputStream {
        private final OutputStream sink;
        private long room;

        SinkOutput(OutputStream sink, long cap) {
            this.sink = sink;
            this.room = cap;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] data, int off, int len) {
            if (forced != null) {
                return;
            }
            if (len > room) {
                force(FailureKind.BAD_OUTPUT, "stdout exceeded " + limits.maxStdoutBytes() + " bytes");
                return;
            }
            try {
                sink.write(data, off, len);
                room -= len;
            } catch (IOException e) {
                force(FailureKind.INTERNAL, "cannot store the command's output: " + e.getMessage());
            }
        }
    }
}
