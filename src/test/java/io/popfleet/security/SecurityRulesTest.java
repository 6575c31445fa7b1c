package io.popfleet.security;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

import io.popfleet.inventory.NodeService;
import io.popfleet.runs.Run;
import io.popfleet.ssh.HostKeyService;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.TestUsers;
import io.popfleet.testing.TestUsers.TestUser;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

/** The rules issue 11 names, each tried the way a client would: real users, real tokens, the real login form. */
@QuarkusTest
class SecurityRulesTest {

    @Inject
    LoginThrottle throttle;

    @Inject
    NodeService nodes;

    @Inject
    HostKeyService hostKeys;

    @Inject
    UserService users;

    @BeforeEach
    void cleanSlate() {
        Inventory.clearWithRuns();
        throttle.clear();
    }

    @AfterEach
    void removeUsers() {
        TestUsers.deleteAll();
        throttle.clear();
    }

    @Test
    void aViewerCannotStartARunButAnOperatorGetsPastTheRoleCheck() {
        TestUser viewer = TestUsers.create(Roles.VIEWER);
        TestUser operator = TestUsers.create(Roles.OPERATOR);
        String request = "{\"operation\":\"status\",\"selection\":{}}";
        viewer.request().contentType("application/json").body(request).post("/api/v1/runs").then().statusCode(403)
                .contentType("application/problem+json").body("type", equalTo("urn:popfleet:problem:forbidden"));
        assertThat(runCount()).isZero();
        // An empty fleet: the operator passes the role check and is told there is nothing to run on.
        int status = operator.request().contentType("application/json").body(request).post("/api/v1/runs")
                .then().extract().statusCode();
        assertThat(status).isNotIn(401, 403);
    }

    @Test
    void anOperatorCannotAddACredentialPinAKeyOrPruneTheInventory() {
        TestUser operator = TestUsers.create(Roles.OPERATOR);
        nodes.create(aNode().named("keep-me").loggingInAs("pop").build(), "test");
        operator.request().contentType("application/json").body("{\"name\":\"stolen\"}")
                .post("/api/v1/ssh/credentials/generate").then().statusCode(403);
        operator.request().contentType("text/plain").body("127.0.0.9 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHv5")
                .post("/api/v1/ssh/host-keys/import").then().statusCode(403);
        operator.request().contentType("application/yaml")
                .body("nodes: []\n".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/api/v1/inventory/import/apply?prune=true").then().statusCode(403);
        assertThat(Inventory.count()).isEqualTo(1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> AppUser.getEntityManager()
                .createNativeQuery("select count(*) from ssh_credential where name = 'stolen'").getSingleResult()))
                .isEqualTo(0L);
        assertThat(QuarkusTransaction.requiringNew().call(() -> ((Number) AppUser.getEntityManager()
                .createNativeQuery("select count(*) from host_key_pin").getSingleResult()).longValue())).isZero();
    }

    @Test
    void aForbiddenRequestIsAuditedWithWhoAndWhat() {
        TestUser viewer = TestUsers.create(Roles.VIEWER);
        viewer.request().contentType("application/json").body("{}").post("/api/v1/groups").then().statusCode(403);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> QuarkusTransaction.requiringNew()
                .call(() -> AuditEvent.count("actor = ?1 and action = 'access.forbidden' and outcome = 'refused'"
                        + " and target = '/api/v1/groups'", viewer.username())) == 1);
    }

    @Test
    void aRevokedTokenIsRefusedAtOnce() {
        TestUser owner = TestUsers.create(Roles.OPERATOR);
        String second = owner.request().contentType("application/json").body("{\"name\":\"ci\",\"role\":\"viewer\"}")
                .post("/api/v1/tokens").then().statusCode(201).body("view.role", equalTo("viewer"))
                .extract().path("token");
        int id = given().header("Authorization", "Bearer " + second).get("/api/v1/tokens").then().statusCode(200)
                .body("find { it.name == 'ci' }.revokedAt", equalTo(null))
                .body(not(containsString(second))).extract().path("find { it.name == 'ci' }.id");
        given().header("Authorization", "Bearer " + second).get("/api/v1/nodes").then().statusCode(200);
        // The token holds viewer only, though its user is an operator.
        given().header("Authorization", "Bearer " + second).contentType("application/json").body("{}")
                .post("/api/v1/runs/1/cancel").then().statusCode(403);

        owner.request().delete("/api/v1/tokens/" + id).then().statusCode(200);

        given().header("Authorization", "Bearer " + second).get("/api/v1/nodes").then().statusCode(401);
        owner.request().get("/api/v1/nodes").then().statusCode(200);
    }

    @Test
    void tokensAreStoredOnlyAsTheirHash() {
        TestUser owner = TestUsers.create(Roles.VIEWER);
        List<String> hashes = QuarkusTransaction.requiringNew().call(() -> ApiToken.<ApiToken>list("user.username",
                owner.username()).stream().map(t -> t.tokenHash).toList());
        assertThat(hashes).containsExactly(Secrets.sha256(owner.token()));
        assertThat(owner.token()).startsWith(TokenService.PREFIX).hasSizeGreaterThan(40);
    }

    @Test
    void aDisabledUsersTokenAndSessionStopWorking() {
        TestUser user = TestUsers.create(Roles.VIEWER);
        String session = login(user.username(), user.password()).cookie(PopFleetAuthMechanism.COOKIE);
        users.setDisabled(user.username(), true, "test");
        user.request().get("/api/v1/nodes").then().statusCode(401);
        given().redirects().follow(false).cookie(PopFleetAuthMechanism.COOKIE, session).get("/fleet").then()
                .statusCode(302);
    }

    @Test
    void theSessionCookieIsHttpOnlyAndSameSiteStrictAndEndsAtLogout() {
        TestUser user = TestUsers.create(Roles.VIEWER);
        Response login = login(user.username(), user.password());
        login.then().statusCode(303).header("Location", matchesPattern("http://[^/]+/runs"));
        String setCookie = login.headers().getValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(PopFleetAuthMechanism.COOKIE + "=")).findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("; HttpOnly")
                .contains("SameSite=Strict").contains("Path=/")
                // Plain HTTP here; over TLS the same cookie is marked Secure (SessionCookies.overTls).
                .doesNotContainIgnoringCase("secure");
        String session = login.cookie(PopFleetAuthMechanism.COOKIE);
        given().cookie(PopFleetAuthMechanism.COOKIE, session).get("/fleet").then().statusCode(200)
                .body(containsString(user.username()));
        // The database holds the hash of the session id, not the id.
        UserSession stored = QuarkusTransaction.requiringNew().call(
                () -> UserSession.<UserSession>findById(Secrets.sha256(session)));
        assertThat(stored).isNotNull();

        PageSession.open("/login").form().redirects().follow(false).cookie(PopFleetAuthMechanism.COOKIE, session)
                .post("/logout").then()
                .statusCode(303);
        given().redirects().follow(false).cookie(PopFleetAuthMechanism.COOKIE, session).get("/fleet").then()
                .statusCode(302).header("Location", endsWith("/login?next=%2Ffleet"));
    }

    @Test
    void aLoginNeverSendsTheBrowserToAnotherSite() {
        TestUser user = TestUsers.create(Roles.VIEWER);
        for (String next : List.of("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:x")) {
            PageSession.open("/login").form().redirects().follow(false).formParam("username", user.username())
                    .formParam("password", user.password()).formParam("next", next).post("/login").then()
                    .statusCode(303).header("Location", matchesPattern("http://[^/]+/"));
        }
    }

    @Test
    void failedLoginsAreAuditedAndThenRateLimitedEvenWithTheRightPassword() {
        TestUser user = TestUsers.create(Roles.VIEWER);
        for (int i = 0; i < 5; i++) {
            PageSession.open("/login").form().formParam("username", user.username()).formParam("password", "wrong-" + i)
                    .post("/login").then().statusCode(401).body(containsString("Wrong user name or password"))
                    .body(not(containsString("wrong-" + i)));
        }
        PageSession.open("/login").form().formParam("username", user.username())
                .formParam("password", user.password()).post("/login").then()
                .statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue())
                .body(containsString("Too many failed logins"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "action = 'auth.login' and target = ?1 and outcome = 'failed'", user.username()))).isEqualTo(5);
        assertThat(QuarkusTransaction.requiringNew().call(() -> AuditEvent.count(
                "action = 'auth.login' and target = ?1 and outcome = 'refused'", user.username()))).isEqualTo(1);
    }

    @Test
    void theFirstAdminExistsWithOnlyABcryptHash() {
        AppUser admin = QuarkusTransaction.requiringNew().call(() -> AppUser.byName("admin").orElseThrow());
        assertThat(admin.role()).isEqualTo(Role.ADMIN);
        assertThat(admin.passwordHash).startsWith("$2");
    }

    private static Response login(String username, String password) {
        return PageSession.open("/login").form().redirects().follow(false).formParam("username", username)
                .formParam("password", password)
                .formParam("next", "/runs").post("/login");
    }

    private static long runCount() {
        return QuarkusTransaction.requiringNew().call(() -> Run.count());
    }
}
