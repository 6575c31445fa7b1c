package io.popfleet.web;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.inventory.NodeService;
import io.popfleet.rollout.ReleaseService;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/**
 * Stored strategies: their API (every wrong field named at once, operators write, viewers read, every change
 * audited), a rollout request naming one or taking its group's default, and the wizard loading one into its fields.
 * Four nodes without SSH: nothing here starts a node (previews only).
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class RolloutStrategiesTest {

    private static final String NEW = "0.2.8";
    private static final String API = "/api/v1/rollouts/strategies";

    @Inject
    NodeService nodes;

    @Inject
    ReleaseService releases;

    @Inject
    EntityManager em;

    @BeforeEach
    void fleet() {
        // also empties rollout_strategy (its group reference cascades from node_group)
        Inventory.clearWithRuns();
        List<String> names = List.of("strat-a1", "strat-a2", "strat-b1", "strat-b2");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            nodes.create(aNode().named(name).at("127.0.0.1", i + 1).loggingInAs("pop").inGroup(name.startsWith("strat-a")
                    ? "edge" : "core").build(), "test");
        }
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into node_status (node_id, at,"
                + " last_seen_at, state, service_state, binary_version) select id, now(), now(), 'up', 'running',"
                + " '0.2.7' from node").executeUpdate());
        releases.find(NEW).orElseGet(() -> releases.register(NEW, new ByteArrayInputStream(("simulated pop " + NEW)
                .getBytes(StandardCharsets.UTF_8)), "test"));
    }

    @Test
    void aStrategyIsStoredReadChangedAndDeletedAndEveryChangeIsAudited() {
        long audited = audits();
        given().contentType(ContentType.JSON).body(careful("edge")).post(API).then().statusCode(201)
                .body("name", equalTo("careful")).body("defaultFor", equalTo("edge"))
                .body("strategy.batches", equalTo("1, 50%")).body("strategy.soakSeconds", equalTo(600))
                .body("strategy.soakMaxDrop", equalTo(0.02f)).body("strategy.maxPerRegion", equalTo(1))
                .body("createdBy", equalTo("test-admin"));
        given().contentType(ContentType.JSON).body(careful(null)).post(API).then().statusCode(409);
        given().get(API).then().statusCode(200).body("name", contains("careful"));

        Map<String, Object> changed = careful(null);
        changed.remove("name");
        changed.put("strategy", Map.of("batches", "rest", "failureBudget", "10%"));
        given().contentType(ContentType.JSON).body(changed).put(API + "/careful").then().statusCode(200)
                .body("defaultFor", equalTo(null)).body("strategy.batches", equalTo("rest"))
                .body("strategy.failureBudget", equalTo("10%")).body("strategy.soakSeconds", equalTo(0));
        given().delete(API + "/careful").then().statusCode(204);
        given().get(API + "/careful").then().statusCode(404);
        given().delete(API + "/careful").then().statusCode(404);
        assertThat(audits() - audited).isEqualTo(3);
    }

    @Test
    void everyWrongFieldIsNamedInOne400AndNothingIsStored() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("name", "no spaces please");
        bad.put("description", "x".repeat(501));
        bad.put("defaultFor", "no-such-group");
        bad.put("strategy", Map.of("order", "sideways", "batches", "rest, 5", "window", "25:00-26:00",
                "soakSeconds", -1, "soakMaxDrop", 2, "healthyDeadlineSeconds", 0));
        given().contentType(ContentType.JSON).body(bad).post(API).then().statusCode(400)
                .body("type", equalTo("urn:popfleet:problem:invalid-strategy"))
                .body("errors.field", containsInAnyOrder("name", "description", "defaultFor", "strategy.order",
                        "strategy.batches", "strategy.window", "strategy.soakSeconds", "strategy.soakMaxDrop",
                        "strategy.healthyDeadline"));
        given().get(API).then().statusCode(200).body("size()", equalTo(0));
        // a group has one default
        given().contentType(ContentType.JSON).body(careful("edge")).post(API).then().statusCode(201);
        Map<String, Object> second = careful("edge");
        second.put("name", "other");
        given().contentType(ContentType.JSON).body(second).post(API).then().statusCode(409)
                .body("errors.field", contains("defaultFor"));
    }

    @Test
    void aRolloutRequestNamesAStoredStrategyOrTakesItsGroupsDefault() {
        given().contentType(ContentType.JSON).body(careful("edge")).post(API).then().statusCode(201);
        given().contentType(ContentType.JSON).body(Map.of("version", NEW, "names", List.of("strat-b1", "strat-b2"),
                "strategy", "careful")).post("/api/v1/rollouts/preview").then().statusCode(200)
                .body("strategy.batches", equalTo("1, 50%")).body("strategy.soakSeconds", equalTo(600));
        given().contentType(ContentType.JSON).body(Map.of("version", NEW, "groups", List.of("edge")))
                .post("/api/v1/rollouts/preview").then().statusCode(200)
                .body("strategy.batches", equalTo("1, 50%")).body("batches.nodes.flatten()", hasItem("strat-a1"));
        // another group without a default, and a request with its own fields, keep the usual defaults
        given().contentType(ContentType.JSON).body(Map.of("version", NEW, "groups", List.of("core")))
                .post("/api/v1/rollouts/preview").then().statusCode(200)
                .body("strategy.batches", equalTo("1, 5%, 25%, rest"));
        given().contentType(ContentType.JSON).body(Map.of("version", NEW, "names", List.of("strat-b1"),
                "strategy", "nobody")).post("/api/v1/rollouts").then().statusCode(400)
                .body("errors.field", contains("strategy"));
        assertThat(QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from rollout").getSingleResult()).longValue())).isZero();
    }

    @Test
    void theWizardLoadsAStoredStrategyIntoItsFields() {
        given().contentType(ContentType.JSON).body(careful(null)).post(API).then().statusCode(201);
        String page = given().queryParam("version", NEW).queryParam("strategy", "careful").get("/rollouts/new")
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("<option value=\"careful\" selected>careful", "name=\"batches\" value=\"1, 50%\"",
                "name=\"soak\" value=\"600\"", "name=\"soakMaxDrop\" value=\"0.02\"", "name=\"maxPerRegion\" value=\"1\"");
        PageSession session = PageSession.open("/rollouts/new");
        String loaded = session.form().formParam("wizard", "1").formParam("version", NEW)
                .formParam("nodes", "strat-a1").formParam("batches", "rest").formParam("strategy", "careful")
                .formParam("load", "1").post("/rollouts/new/prepare").then().statusCode(200).extract().asString();
        assertThat(loaded).contains("name=\"batches\" value=\"1, 50%\"", "name=\"nodes\" value=\"strat-a1\"");
        // without the Load button the fields stay as typed
        assertThat(session.form().formParam("wizard", "1").formParam("batches", "rest").formParam("strategy",
                "careful").post("/rollouts/new/prepare").then().statusCode(200).extract().asString())
                .contains("name=\"batches\" value=\"rest\"");
        given().queryParam("strategy", "nobody").get("/rollouts/new").then().statusCode(400)
                .body(org.hamcrest.Matchers.containsString("data-error=\"strategy\""));
        // the preview of a soaked strategy counts the soaks in its time
        String preview = session.form().formParam("wizard", "1").formParam("version", NEW).formParam("nodes",
                "strat-a1 strat-a2").formParam("canary", "0").formParam("batches", "rest").formParam("soak", "900")
                .post("/rollouts/new/preview").then().statusCode(200).extract().asString();
        assertThat(preview).contains("id=\"preview-estimate\"").doesNotContain("id=\"form-errors\"");
    }

    @Test
    void theWizardForOneGroupLoadsThatGroupsDefaultStrategy() {
        given().contentType(ContentType.JSON).body(careful("edge")).post(API).then().statusCode(201);
        assertThat(given().queryParam("version", NEW).queryParam("groups", "edge").get("/rollouts/new").then()
                .statusCode(200).extract().asString()).contains("<option value=\"careful\" selected>careful",
                        "name=\"batches\" value=\"1, 50%\"", "name=\"soak\" value=\"600\"");
        assertThat(given().queryParam("version", NEW).queryParam("groups", "core").get("/rollouts/new").then()
                .statusCode(200).extract().asString()).as("a group without a default")
                .contains("name=\"batches\" value=\"1, 5%, 25%, rest\"")
                .doesNotContain("<option value=\"careful\" selected>");
        PageSession session = PageSession.open("/rollouts/new");
        assertThat(session.form().formParam("wizard", "1").formParam("version", NEW).formParam("groups", "edge")
                .formParam("batches", "rest").formParam("strategy", "").formParam("load", "1")
                .post("/rollouts/new/prepare").then().statusCode(200).extract().asString())
                .as("Load with no strategy chosen: the group's default").contains("name=\"batches\" value=\"1, 50%\"");
        assertThat(session.form().formParam("wizard", "1").formParam("version", NEW).formParam("groups", "edge")
                .formParam("batches", "rest").formParam("strategy", "").post("/rollouts/new/prepare").then()
                .statusCode(200).extract().asString()).as("without Load the fields stay as typed")
                .contains("name=\"batches\" value=\"rest\"");
    }

    @Test
    @TestSecurity(user = "test-viewer", roles = Roles.VIEWER, augmentors = RoleHierarchy.class)
    void aViewerReadsStrategiesButCannotWriteThem() {
        given().get(API).then().statusCode(200);
        given().contentType(ContentType.JSON).body(careful(null)).post(API).then().statusCode(403);
        given().contentType(ContentType.JSON).body(careful(null)).put(API + "/careful").then().statusCode(403);
        given().delete(API + "/careful").then().statusCode(403);
        given().get(API).then().statusCode(200).body("name", not(hasItem("careful")));
    }

    private static Map<String, Object> careful(String group) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", "careful");
        body.put("description", "one node, then half, soaked");
        body.put("defaultFor", group);
        body.put("strategy", Map.of("canary", "0", "batches", "1, 50%", "soakSeconds", 600, "soakMaxDrop", 0.02));
        return body;
    }

    private long audits() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("select count(*) from"
                + " audit_event where action like 'rollout.strategy.%'").getSingleResult()).longValue());
    }
}
