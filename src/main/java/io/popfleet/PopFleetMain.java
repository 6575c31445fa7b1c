package io.popfleet;

import java.net.BindException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.annotations.QuarkusMain;

import io.popfleet.database.DataDirInUseException;
import io.popfleet.database.EmbeddedPostgres;

/**
 * Starts the embedded PostgreSQL before Quarkus when no database is configured, and stops it only after Quarkus
 * has shut down completely, so the connection pool never sees its database vanish mid-flight.
 */
@QuarkusMain
public class PopFleetMain {

    private static final Logger LOG = Logger.getLogger(PopFleetMain.class);

    public static void main(String... args) {
        if (configured("quarkus.datasource.jdbc.url").isPresent()) {
            int[] exitCode = {0};
            Quarkus.run(Controller.class, (code, failure) -> exitCode[0] = exited(code, failure), args);
            System.exit(exitCode[0]);
            return;
        }
        Path dataDir = Path.of(configured("popfleet.data-dir")
                .orElse(System.getProperty("user.home") + "/.popfleet")).toAbsolutePath();
        System.setProperty("popfleet.data-dir", dataDir.toString());
        LOG.infof("PoP Fleet data directory: %s (embedded PostgreSQL in %s)", dataDir, dataDir.resolve("pgdata"));
        EmbeddedPostgres database;
        try {
            database = EmbeddedPostgres.start(dataDir, true);
        } catch (DataDirInUseException e) {
            // One line, no stack trace: the operator started a second controller by mistake.
            System.err.println("popfleet: " + e.getMessage());
            System.exit(2);
            return;
        }
        CountDownLatch databaseStopped = new CountDownLatch(1);
        // A SIGTERM runs shutdown hooks while main is still unwinding; this hook holds the JVM until the
        // database below has stopped in order.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> awaitQuietly(databaseStopped), "popfleet-db-stop"));
        System.setProperty("quarkus.datasource.jdbc.url", database.jdbcUrl());
        System.setProperty("quarkus.datasource.username", database.username());
        System.setProperty("quarkus.datasource.password", database.password());
        int[] exitCode = {0};
        try {
            Quarkus.run(Controller.class, (code, failure) -> exitCode[0] = exited(code, failure), args);
        } finally {
            database.close();
            LOG.info("Embedded PostgreSQL stopped");
            databaseStopped.countDown();
        }
        System.exit(exitCode[0]);
    }

    /**
     * An exit handler of our own makes Quarkus skip its own report of a failed start, so this says why, in one line
     * an operator can act on, with the stack trace in the log only for a failure of the controller itself.
     */
    private static int exited(int code, Throwable failure) {
        if (failure != null) {
            String message = startFailure(failure);
            System.err.println("popfleet: " + message);
            if (!(rootCause(failure) instanceof BindException)) {
                LOG.error("The controller could not start", failure);
            }
        }
        return code;
    }

    /** Why the controller could not start, as one line naming what to change. */
    static String startFailure(Throwable failure) {
        Throwable root = rootCause(failure);
        if (root instanceof QuarkusBindException bind) {
            return "port " + bind.getPort() + " on " + bind.getHost() + " is taken by another program (another"
                    + " controller?): stop it, or choose a free port with quarkus.http.port (QUARKUS_HTTP_PORT), or"
                    + " quarkus.http.ssl-port (QUARKUS_HTTP_SSL_PORT) for HTTPS";
        }
        if (root instanceof BindException) {
            return "cannot listen on quarkus.http.host/quarkus.http.port: " + root.getMessage();
        }
        String text = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        return "could not start: " + text;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    private static Optional<String> configured(String property) {
        String env = property.toUpperCase().replaceAll("[^A-Z0-9]", "_");
        return Optional.ofNullable(System.getProperty(property))
                .or(() -> Optional.ofNullable(System.getenv(env)))
                .filter(value -> !value.isBlank());
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(90, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The running controller: waits until asked to stop. */
    public static class Controller implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
