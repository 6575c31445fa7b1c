package io.popfleet.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import io.popfleet.database.EmbeddedPostgres;

/**
 * A real PostgreSQL for {@code @QuarkusTest}s: Testcontainers' {@code postgres:16} where a Docker engine answers,
 * otherwise the controller's own embedded server in a throw-away directory. Never H2, never a mock.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private AutoCloseable server;
    private Path dir;

    @Override
    public Map<String, String> start() {
        if (DockerProbe.dockerAvailable()) {
            ContainerPostgres container = ContainerPostgres.start();
            server = container;
            return Map.of("quarkus.datasource.jdbc.url", container.jdbcUrl(),
                    "quarkus.datasource.username", container.username(),
                    "quarkus.datasource.password", container.password());
        }
        try {
            dir = Files.createTempDirectory("popfleet-test-pg");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EmbeddedPostgres pg = EmbeddedPostgres.start(dir, false);
        server = pg;
        return Map.of("quarkus.datasource.jdbc.url", pg.jdbcUrl(),
                "quarkus.datasource.username", pg.username(),
                "quarkus.datasource.password", pg.password(),
                "popfleet.data-dir", dir.toString());
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the test database", e);
        } finally {
            TestFiles.deleteRecursively(dir);
        }
    }
}
