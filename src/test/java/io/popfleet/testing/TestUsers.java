package io.popfleet.testing;

import java.util.concurrent.atomic.AtomicInteger;

import io.quarkus.arc.Arc;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.restassured.specification.RequestSpecification;

import io.popfleet.security.AppUser;
import io.popfleet.security.TokenService;
import io.popfleet.security.UserService;

import static io.restassured.RestAssured.given;

/**
 * Real users and API tokens for tests that go through the real login mechanism (security tests, benchmarks):
 * each call makes a fresh user with a name starting "t-", which {@link #deleteAll()} removes again.
 */
public final class TestUsers {

    public static final String PASSWORD = "correct-horse-battery";
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** A user and a token that acts as them. */
    public record TestUser(String username, String password, String token) {

        public RequestSpecification request() {
            return given().header("Authorization", "Bearer " + token);
        }
    }

    private TestUsers() {
    }

    /** A new enabled user with this role, the shared test password and a token carrying the same role. */
    public static TestUser create(String role) {
        String name = "t-" + role + "-" + ProcessHandle.current().pid() + "-" + SEQUENCE.incrementAndGet();
        UserService users = Arc.container().instance(UserService.class).get();
        TokenService tokens = Arc.container().instance(TokenService.class).get();
        users.create(name, PASSWORD, role, "test");
        String token = tokens.create(name, "test", null, null, "test").token();
        return new TestUser(name, PASSWORD, token);
    }

    /** Removes every user made here, with their sessions and tokens (the foreign keys cascade). */
    public static void deleteAll() {
        QuarkusTransaction.requiringNew().run(() -> AppUser.delete("username like 't-%'"));
    }
}
