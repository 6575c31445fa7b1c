package io.popfleet.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.util.net.SshdSocketAddress;

import io.popfleet.api.FailureKind;

/**
 * One authenticated session per node, shared by that node's operations (at most {@code maxChannels} channels at a
 * time, under OpenSSH's MaxSessions). Callers arriving while a session is being opened wait for that one open
 * instead of starting their own. A closed session is replaced on next use; idle ones are closed by
 * {@link #expireIdle}.
 */
final class SessionPool {

    private final SessionConnector connector;
    private final int maxChannels;
    private final ConcurrentHashMap<SshTarget.SessionKey, Entry> entries = new ConcurrentHashMap<>();

    SessionPool(SessionConnector connector, int maxChannels) {
        this.connector = connector;
        this.maxChannels = maxChannels;
    }

    CompletableFuture<SessionLease> lease(SshTarget target, ExecLimits limits) {
        Entry entry = entries.computeIfAbsent(target.sessionKey(), key -> new Entry(maxChannels));
        return entry.channels.acquire().thenCompose(permit -> {
            entry.active.incrementAndGet();
            Runnable release = () -> {
                entry.lastUsed = System.nanoTime();
                entry.active.decrementAndGet();
                entry.channels.release();
            };
            return entry.session(this, target, limits).handle((opened, failure) -> {
                if (failure != null) {
                    release.run();
                    throw failure instanceof RuntimeException r ? r : new IllegalStateException(failure);
                }
                return new SessionLease(opened.session().session(), opened.reused() ? Duration.ZERO
                        : opened.session().connect(), opened.reused() ? Duration.ZERO : opened.session().auth(),
                        opened.reused(), release);
            });
        });
    }

    /**
     * Reaches {@code target} through its bastion's pooled session: a local forward on 127.0.0.1 to the node,
     * then an ordinary session over it, whose host key is checked against the node's own pin. The forward
     * closes with that session.
     */
    private CompletableFuture<OpenedSession> throughBastion(SshTarget target, ExecLimits limits) {
        Entry bastion = entries.computeIfAbsent(target.jump().sessionKey(), key -> new Entry(maxChannels));
        // In use from now until the node's session closes: an idle bastion reused here must not expire while
        // the node's session is still being opened through it.
        bastion.active.incrementAndGet();
        Runnable carried = () -> {
            bastion.lastUsed = System.nanoTime();
            bastion.active.decrementAndGet();
        };
        return bastion.session(this, target.jump(), limits).thenCompose(opened -> {
            ExplicitPortForwardingTracker forward;
            try {
                forward = opened.session().session().createLocalPortForwardingTracker(
                        new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(target.host(), target.port()));
            } catch (IOException | RuntimeException e) {
                throw new SshFailure(FailureKind.UNREACHABLE, "bastion " + target.jump().name()
                        + " refused to forward: " + SessionConnector.describe(e));
            }
            SshdSocketAddress local = forward.getBoundAddress();
            return connector.open(target, local.getHostName(), local.getPort(), limits).whenComplete((node, e) -> {
                if (e != null) {
                    closeQuietly(forward);
                } else {
                    node.session().addCloseFutureListener(closed -> {
                        closeQuietly(forward);
                        carried.run();
                    });
                }
            });
        }).whenComplete((node, e) -> {
            if (e != null) {
                carried.run();
            }
        });
    }

    private static void closeQuietly(ExplicitPortForwardingTracker forward) {
        try {
            forward.close();
        } catch (IOException e) {
            // the bastion session is gone already; nothing is left listening
        }
    }

    /** A pooled session that failed under us: drop it so the next lease opens a fresh one. */
    void evict(SshTarget target, ClientSession broken) {
        Entry entry = entries.get(target.sessionKey());
        if (entry != null) {
            entry.forget(broken);
        }
        broken.close(true);
    }

    void expireIdle(Duration idle) {
        long now = System.nanoTime();
        entries.forEach((key, entry) -> {
            if (entry.active.get() == 0 && now - entry.lastUsed > idle.toNanos()) {
                entry.closeIfIdle();
            }
        });
    }

    int openSessions() {
        int open = 0;
        for (Entry entry : entries.values()) {
            ClientSession session = entry.currentSession();
            if (session != null && session.isOpen()) {
                open++;
            }
        }
        return open;
    }

    void closeAll() {
        entries.values().forEach(Entry::closeIfIdle);
        entries.values().forEach(entry -> {
            ClientSession session = entry.currentSession();
            if (session != null) {
                session.close(true);
            }
        });
        entries.clear();
    }

    private record Opened(OpenedSession session, boolean reused) {
    }

    private static final class Entry {
        final AsyncLimiter channels;
        final AtomicInteger active = new AtomicInteger();
        volatile long lastUsed = System.nanoTime();
        private CompletableFuture<OpenedSession> opening;

        Entry(int maxChannels) {
            channels = new AsyncLimiter(maxChannels);
        }

        CompletableFuture<Opened> session(SessionPool pool, SshTarget target, ExecLimits limits) {
            CompletableFuture<OpenedSession> current;
            boolean reused;
            synchronized (this) {
                if (opening == null || stale(opening)) {
                    opening = target.jump() == null ? pool.connector.open(target, limits)
                            : pool.throughBastion(target, limits);
                    reused = false;
                } else {
                    reused = opening.isDone();
                }
                current = opening;
            }
            return current.thenApply(opened -> new Opened(opened, reused));
        }

        private static boolean stale(CompletableFuture<OpenedSession> future) {
            if (!future.isDone()) {
                return false;
            }
            if (future.isCompletedExceptionally()) {
                return true;
            }
            ClientSession session = future.join().session();
            return !session.isOpen() || session.isClosing();
        }

        synchronized void forget(ClientSession broken) {
            if (currentSession() == broken) {
                opening = null;
            }
        }

        synchronized ClientSession currentSession() {
            if (opening == null || !opening.isDone() || opening.isCompletedExceptionally()) {
                return null;
            }
            return opening.join().session();
        }

        synchronized void closeIfIdle() {
            ClientSession session = currentSession();
            if (session != null && active.get() == 0) {
                session.close(false);
                opening = null;
            }
        }
    }
}
