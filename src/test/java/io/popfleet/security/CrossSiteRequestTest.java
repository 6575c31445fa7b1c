package io.popfleet.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeService;
import io.popfleet.runs.RunService;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.RunWaits;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * What another site's page, or a DNS-rebinding one, can make a browser send to the controller on loopback — all
 * of it refused, nothing changed in the database, every refusal in the audit trail. Each attack carries a unique
 * marker (its origin or host) so its audit row is found among everyone else's.
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class CrossSiteRequestTest {

    private static final String FLEET_YAML = "nodes:\n  - name: pop-attacker\n    host: 203.0.113.66\n";

    @Inject
    NodeService nodes;

    @Inject
    RunService runs;

    @TestHTTPResource("/")
    URI base;

    @Inject
    RefusalAudit refusalAudit;

    @BeforeEach
    void threeNodes() {
        // Other tests' refusals this minute must not use up this test's audit budget.
        refusalAudit.flush(Instant.now().plus(Duration.ofMinutes(2)));
        Inventory.clearWithRuns();
        // Closed loopback ports: a run that did start would fail fast, never reach a node.
        node("web-a", 1, "eu");
        node("web-b", 2, "eu");
        node("web-c", 3, "us");
    }

    /** Runs a test did start end before the next test empties the tables under the executor. */
    @AfterEach
    void runsEnded() {
        runs.list(0, 50).forEach(run -> RunWaits.finished(runs, run.id()));
    }

    private void node(String name, int closedPort, String group) {
        nodes.create(aNode().named(name).at("127.0.0.1", closedPort).loggingInAs("pop").inGroup(group).build(), "test");
    }

    @Test
    void aCrossSiteFormPostStartsNoRun() {
        String evil = evilOrigin();
        given().contentType(ContentType.URLENC).header("Origin", evil).formParam("operation", "restart")
                .formParam("confirm", "on").formParam("confirmedCount", "3").when().post("/runs/new")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:cross-site-request"));
        // Without Origin, but the browser marks it cross-site: refused all the same.
        given().contentType(ContentType.URLENC).header("Sec-Fetch-Site", "cross-site").formParam("operation",
                "restart").formParam("confirm", "on").when().post("/runs/new").then().statusCode(403);

        assertThat(runs.count()).isZero();
        assertThat(refusal("origin", evil)).containsEntry("code", "cross-site-request");
    }

    @Test
    void aPageRepeatingARefusedRequestAddsItsBudgetOfRowsAndThenOneCount() {
        String evil = evilOrigin();
        Instant since = Instant.now();
        for (int i = 0; i < 25; i++) {
            given().contentType(ContentType.URLENC).header("Origin", evil).formParam("operation", "restart")
                    .formParam("confirm", "on").when().post("/runs/new").then().statusCode(403);
        }
        assertThat(runs.count()).isZero();
        assertThat(refusals("origin", evil)).as("written one by one: the budget of 10 a minute").hasSize(10);
        assertThat(repeated("POST /runs/new", since)).as("nothing counted is written before its minute ends").isEmpty();

        refusalAudit.flush(Instant.now().plus(Duration.ofMinutes(2)));

        assertThat(repeated("POST /runs/new", since)).as("the other 15, as one row").singleElement()
                .satisfies(details -> {
                    assertThat(((Number) details.get("repeated")).longValue()).isEqualTo(15);
                    assertThat((String) details.get("kind")).contains("cross-site-request");
                });
    }

    @Test
    void aFormPostWithoutTheCsrfTokenIsRefusedEvenFromThisOrigin() {
        PageSession page = PageSession.open("/runs/new");
        String origin = ownOrigin();
        given().cookie(PageSession.COOKIE, page.cookie()).contentType(ContentType.URLENC).header("Origin", origin)
                .formParam("operation", "status").when().post("/runs/new")
                .then().statusCode(403).body("type", equalTo("urn:popfleet:problem:csrf-token-invalid"));
        given().cookie(PageSession.COOKIE, page.cookie()).contentType(ContentType.URLENC)
                .formParam(PageSession.FIELD, "not-the-token").formParam("operation", "status")
                .when().post("/runs/new").then().statusCode(403);

        assertThat(runs.count()).isZero();
        // The honest page's post goes through.
        page.form().redirects().follow(false).formParam("operation", "status").when().post("/runs/new")
                .then().statusCode(303);
        assertThat(runs.count()).isEqualTo(1);
    }

    @Test
    void aTextPlainInventoryPostPrunesNothing() {
        String evil = evilOrigin();
        given().contentType("text/plain").header("Origin", evil).body(FLEET_YAML)
                .when().post("/api/v1/inventory/import/apply?prune=true&format=yaml").then().statusCode(403);
        // No Origin at all (an old browser): a text/plain body still needs a token.
        given().contentType("text/plain").body(FLEET_YAML)
                .when().post("/api/v1/inventory/import/apply?prune=true&format=yaml").then().statusCode(403)
                .body("type", equalTo("urn:popfleet:problem:csrf-token-invalid"));

        assertThat(nodeNames()).containsExactlyInAnyOrder("web-a", "web-b", "web-c");
        assertThat(refusal("origin", evil)).containsEntry("contentType", "text/plain");
    }

    @Test
    void aTextPlainHostKeyImportPinsNothing() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String line = "127.0.0.1 " + PublicKeyEntry.toString(rsa.generateKeyPair().getPublic());
        String evil = evilOrigin();
        given().contentType("text/plain").header("Origin", evil).body(line)
                .when().post("/api/v1/ssh/host-keys/import").then().statusCode(403);

        assertThat(pins()).isZero();
        assertThat(refusal("origin", evil)).containsEntry("status", 403);
    }

    @Test
    void aRunRequestWithoutContentTypeIsNotReadAsJson() throws Exception {
        // java.net.http sends no Content-Type unless told; RestAssured would add one.
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(
                "/api/v1/runs")).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"operation\":\"auth\",\"arguments\":[\"add-key\",\"ssh-ed25519 AAAA attacker\"]}"))
                .build(), HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("urn:popfleet:problem:content-type-required");
        assertThat(runs.count()).isZero();
        assertThat(QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list("action = ?1 and target = ?2",
                RefusalAudit.ACTION, "POST /api/v1/runs"))).isNotEmpty();
    }

    @Test
    void aForeignHostIsAnsweredWithNothing() {
        String host = "evil-" + UUID.randomUUID() + ".example:8080";
        given().header("Host", host).when().get("/api/v1/nodes").then().statusCode(421)
                .body("type", equalTo("urn:popfleet:problem:host-not-allowed"));
        given().header("Host", host).when().get("/fleet").then().statusCode(421)
                .body(org.hamcrest.Matchers.not(containsString("web-a")));
        given().header("Host", host).contentType(ContentType.JSON).body(Map.of("name", "pop-x", "host", "203.0.113.9"))
                .when().post("/api/v1/nodes").then().statusCode(421);

        assertThat(nodeNames()).doesNotContain("pop-x");
        assertThat(refusals("host", host)).hasSize(3).allSatisfy(r -> assertThat(r).containsEntry("code",
                "host-not-allowed"));
    }

    @Test
    void aJsonApiCallFromAScriptNeedsNoToken() {
        // JSON cannot be sent cross-site without a preflight this controller never grants: curl-like clients work.
        given().contentType(ContentType.JSON).body(Map.of("groups", List.of("eu"))).when()
                .post("/api/v1/runs/count").then().statusCode(200).body("nodes", equalTo(2));
    }

    @Test
    void aRunConfirmationIsSpentOnceAndOnlyForItsSelection() {
        PageSession page = PageSession.open("/runs/new");
        String euToken = PageSession.confirmation(page.htmx().contentType(ContentType.URLENC)
                .formParam("operation", "restart").formParam("groups", "eu").when().post("/runs/new/count")
                .then().statusCode(200).body(containsString("Yes, restart 2 nodes")).extract().asString());
        assertThat(euToken).isNotEmpty();

        // Two other nodes, the same count: the token names the selection, not just the number.
        page.form().formParam("operation", "restart").formParam("nodes", "web-a web-c").formParam("confirm", "on")
                .formParam("confirmation", euToken).when().post("/runs/new").then().statusCode(400)
                .body(containsString("already used, has expired, or was given for other nodes"));
        assertThat(runs.count()).isZero();

        // The first try spent it, so even the right selection now needs a fresh one.
        page.form().formParam("operation", "restart").formParam("groups", "eu").formParam("confirm", "on")
                .formParam("confirmation", euToken).when().post("/runs/new").then().statusCode(400);
        String fresh = confirmationFor(page, "eu");
        page.form().redirects().follow(false).formParam("operation", "restart").formParam("groups", "eu")
                .formParam("confirm", "on").formParam("confirmation", fresh).when().post("/runs/new")
                .then().statusCode(303);
        assertThat(runs.count()).isEqualTo(1);

        // Replayed: refused, and still one run.
        page.form().formParam("operation", "restart").formParam("groups", "eu").formParam("confirm", "on")
                .formParam("confirmation", fresh).when().post("/runs/new").then().statusCode(400);
        // Other arguments than those confirmed: refused.
        String other = confirmationFor(page, "eu");
        page.form().formParam("operation", "restart").formParam("opt.wait", "6").formParam("groups", "eu")
                .formParam("confirm", "on").formParam("confirmation", other).when().post("/runs/new")
                .then().statusCode(400);
        assertThat(runs.count()).isEqualTo(1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> AuditEvent.count("action = ?1 and outcome = ?2",
                "run.start", AuditLog.REFUSED))).isEqualTo(4);
    }

    @Test
    void pagesAndApiAnswersCarryTheSecurityHeaders() {
        for (String path : List.of("/fleet", "/api/v1/nodes", "/js/csrf.js")) {
            var response = given().when().get(path).then().statusCode(200).extract();
            assertThat(response.header("Content-Security-Policy")).as(path).contains("script-src 'self';")
                    .contains("frame-ancestors 'none'").doesNotContain("unsafe-eval");
            assertThat(response.header("X-Content-Type-Options")).as(path).isEqualTo("nosniff");
            assertThat(response.header("Referrer-Policy")).as(path).isEqualTo("same-origin");
        }
        // And the pages hold no inline script for that policy to block.
        String page = given().when().get("/runs/new").then().extract().asString();
        assertThat(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("\\son[a-z]+=");
    }

    private String confirmationFor(PageSession page, String group) {
        return PageSession.confirmation(page.htmx().contentType(ContentType.URLENC).formParam("operation", "restart")
                .formParam("groups", group).when().post("/runs/new/count").then().statusCode(200).extract()
                .asString());
    }

    private String ownOrigin() {
        return base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
    }

    private static String evilOrigin() {
        return "https://evil-" + UUID.randomUUID() + ".example";
    }

    private static List<String> nodeNames() {
        return QuarkusTransaction.requiringNew().call(() -> Node.<Node>listAll().stream().map(n -> n.name).toList());
    }

    private static long pins() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) Node.getEntityManager()
                .createNativeQuery("select count(*) from host_key_pin").getSingleResult()).longValue());
    }

    /** The audit row of the one refusal whose details carry this marker. */
    private static Map<String, Object> refusal(String key, String marker) {
        List<Map<String, Object>> found = refusals(key, marker);
        assertThat(found).as("audit row with %s=%s", key, marker).hasSize(1);
        return found.get(0);
    }

    /** Summary rows of counted refusals at {@code target} written after {@code since}. */
    private static List<Map<String, Object>> repeated(String target, Instant since) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "action = ?1 and target = ?2 and at > ?3", RefusalAudit.REPEATED, target, since)
                .stream().map(e -> e.details).toList());
    }

    private static List<Map<String, Object>> refusals(String key, String marker) {
        List<Map<String, Object>> found = QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>list(
                "action = ?1 and outcome = ?2", RefusalAudit.ACTION, AuditLog.REFUSED).stream()
                .filter(e -> marker.equals(e.details.get(key))).map(e -> e.details).toList());
        assertThat(found).allSatisfy(d -> assertThat(d.get("address")).as("the refused client's address")
                .isNotNull());
        return found;
    }
}
