package io.popfleet.testing;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers the real test PostgreSQL for every {@code @QuarkusTest}, started once per test run. */
@SuppressWarnings("deprecation") // @WithTestResource is per class by design; one database for the run is the point
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
public final class TestDatabase {
    private TestDatabase() {
    }
}
