package io.popfleet.runs;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Which runs changed, told by PostgreSQL ({@code LISTEN popfleet_run_changed}; V106's triggers send a run's id when
 * its targets are inserted or change state, or the run itself does), so a run's event stream reads it again only
 * after something happened, on whichever controller did it. Listens on a connection of its own from the first
 * question on; while it is not listening (starting, or the connection was lost) every run counts as changed, so a
 * watcher falls back to reading each interval and never misses a change.
 */
@ApplicationScoped
public class RunChangeSignal {

    static final String CHANNEL = "popfleet_run_changed";

    private static final Logger LOG = Logger.getLogger(RunChangeSignal.class);

    /** How long a run's last change is remembered: far longer than any watcher waits between two questions. */
    private static final Duration REMEMBER = Duration.ofMinutes(5);

    private static final Duration RECONNECT = Duration.ofSeconds(2);

    @Inject
    DataSource dataSource;

    private final ConcurrentHashMap<Long, Long> changedAt = new ConcurrentHashMap<>();

    /** When the current LISTEN took effect (nanoTime); meaningful while {@link #listening}. */
    private volatile long listeningSince;
    private volatile boolean listening;
    private volatile boolean stopped;
    private Thread listener;

    /**
     * Whether the run may have changed since {@code nanos} ({@link System#nanoTime()} taken before the caller's last
     * read began): true when told so, and whenever it cannot be known.
     */
    public boolean changedSince(long runId, long nanos) {
        startListening();
        if (!listening || nanos - listeningSince < 0) {
            return true;
        }
        Long at = changedAt.get(runId);
        return at != null && at - nanos >= 0;
    }

    /** Whether change notices arrive now (tests wait for it before counting reads). */
    public boolean listening() {
        startListening();
        return listening;
    }

    private synchronized void startListening() {
        if (listener == null && !stopped) {
            listener = new Thread(this::listen, "popfleet-run-changes");
            listener.setDaemon(true);
            listener.start();
        }
    }

    private void listen() {
        while (!stopped) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection postgres = connection.unwrap(PGConnection.class);
                listeningSince = System.nanoTime();
                listening = true;
                long forgetAt = System.nanoTime() + REMEMBER.toNanos();
                while (!stopped) {
                    PGNotification[] notices = postgres.getNotifications(1000);
                    long now = System.nanoTime();
                    for (PGNotification notice : notices == null ? new PGNotification[0] : notices) {
                        noted(notice.getParameter(), now);
                    }
                    if (now - forgetAt > 0) {
                        changedAt.values().removeIf(at -> now - at > REMEMBER.toNanos());
                        forgetAt = now + REMEMBER.toNanos();
                    }
                }
            } catch (SQLException e) {
                if (!stopped) {
                    LOG.debugf("run change notices lost (%s); watchers read every interval until they return",
                            e.getMessage());
                }
            } finally {
                listening = false;
            }
            pause();
        }
    }

    private void noted(String payload, long now) {
        try {
            changedAt.put(Long.parseLong(payload), now);
        } catch (NumberFormatException e) {
            LOG.debugf("ignored a run change notice that names no run: %s", payload);
        }
    }

    private void pause() {
        if (stopped) {
            return;
        }
        try {
            Thread.sleep(RECONNECT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    @PreDestroy
    synchronized void stop() {
        stopped = true;
        if (listener != null) {
            listener.interrupt();
        }
    }
}
