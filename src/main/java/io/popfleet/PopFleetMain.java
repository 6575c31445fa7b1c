package io.popfleet;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
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
            Quarkus.run(Controller.class, args);
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
            Quarkus.run(Controller.class, (code, failure) -> exitCode[0] = code, args);
        } finally {
            database.close();
            LOG.info("Embedded PostgreSQL stopped");
            databaseStopped.countDown();
        }
        System.exit(exitCode[0]);
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
