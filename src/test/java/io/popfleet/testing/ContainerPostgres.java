package io.popfleet.testing;

import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL 16 in a container, for machines with a Docker engine. */
final class ContainerPostgres implements AutoCloseable {

    private final PostgreSQLContainer container;

    private ContainerPostgres(PostgreSQLContainer container) {
        this.container = container;
    }

    static ContainerPostgres start() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:16");
        container.start();
        return new ContainerPostgres(container);
    }

    String jdbcUrl() {
        return container.getJdbcUrl();
    }

    String username() {
        return container.getUsername();
    }

    String password() {
        return container.getPassword();
    }

    @Override
    public void close() {
        container.stop();
    }
}
