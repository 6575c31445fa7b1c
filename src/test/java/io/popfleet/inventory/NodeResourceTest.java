package io.popfleet.inventory;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class NodeResourceTest {

    @BeforeEach
    void emptyFleet() {
        Inventory.clear();
    }

    static Map<String, Object> node(String name, String host) {
        return Map.of("name", name, "host", host, "sshPort", 22, "sshUser", "popfleet",
                "groups", List.of("eu"), "tags", List.of("canary", "provider=hetzner"), "region", "eu-central");
    }

    static long create(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/nodes")
                .then().statusCode(201).extract().jsonPath().getLong("id");
    }

    @Test
    void createdNodeIsReadBackWithGroupsAndTagsAndAudited() {
        long id = create(node("pop-fra-01", "203.0.113.10"));

        given().when().get("/api/v1/nodes/" + id).then().statusCode(200)
                .body("name", equalTo("pop-fra-01"))
                .body("host", equalTo("203.0.113.10"))
                .body("groups", contains("eu"))
                .body("tags.canary", equalTo(null))
                .body("tags.provider", equalTo("hetzner"));
        given().when().get("/api/v1/audit?action=node.create").then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].target", equalTo("pop-fra-01"))
                .body("items[0].actor", equalTo("test-admin"));
    }

    @Test
    void listFiltersByGroupTagTextAndEnabledInSql() {
        create(node("pop-fra-01", "203.0.113.10"));
        create(Map.of("name", "pop-nyc-01", "host", "198.51.100.7", "groups", List.of("us"),
                "tags", List.of("provider=ovh"), "enabled", false));
        create(Map.of("name", "pop-sgp-01", "host", "sgp1.example.net", "notes", "cheap box in Singapore"));

        given().when().get("/api/v1/nodes?group=eu").then().statusCode(200)
                .body("total", equalTo(1)).body("items.name", contains("pop-fra-01"));
        given().when().get("/api/v1/nodes?tag=provider=ovh").then()
                .body("items.name", contains("pop-nyc-01"));
        given().when().get("/api/v1/nodes?tag=provider").then()
                .body("items.name", contains("pop-fra-01", "pop-nyc-01"));
        given().when().get("/api/v1/nodes?q=singapore").then()
                .body("items.name", contains("pop-sgp-01"));
        given().when().get("/api/v1/nodes?enabled=false").then()
                .body("items.name", contains("pop-nyc-01"));
        given().when().get("/api/v1/nodes?sort=host&direction=desc").then()
                .body("items.name", contains("pop-sgp-01", "pop-fra-01", "pop-nyc-01"));
        given().when().get("/api/v1/nodes?q=100%25").then().body("total", equalTo(0));
    }

    @Test
    void pagingReportsTotalAndRefusesOversizedPages() {
        for (int i = 0; i < 7; i++) {
            create(Map.of("name", "pop-" + i, "host", "10.0.0." + (i + 1)));
        }
        given().when().get("/api/v1/nodes?page=1&size=3").then().statusCode(200)
                .body("total", equalTo(7)).body("items.name", contains("pop-3", "pop-4", "pop-5"));
        given().when().get("/api/v1/nodes?size=501").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:invalid-paging"));
        given().when().get("/api/v1/nodes?sort=password").then().statusCode(400)
                .body("type", equalTo("urn:popfleet:problem:invalid-sort"));
    }

    @Test
    void duplicateNameOrEndpointIsAConflictAndWritesNothing() {
        create(node("pop-fra-01", "203.0.113.10"));
        given().contentType(ContentType.JSON).body(node("pop-fra-01", "203.0.113.11"))
                .when().post("/api/v1/nodes").then().statusCode(409)
                .body("type", equalTo("urn:popfleet:problem:duplicate-node-name"));
        given().contentType(ContentType.JSON).body(node("pop-fra-02", "203.0.113.10"))
                .when().post("/api/v1/nodes").then().statusCode(409)
                .body("type", equalTo("urn:popfleet:problem:duplicate-node-endpoint"))
                .body("detail", containsString("pop-fra-01"));
        assertThat(Inventory.count()).isEqualTo(1);
    }

    @Test
    void invalidInputIsAProblemNamingEachField() {
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "", "host", "not a host!", "sshPort", 70000, "sshUser", "Root"))
                .when().post("/api/v1/nodes").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:validation-failed"))
                .body("errors.field", hasItem("name"))
                .body("errors.field", hasItem("sshPort"));
        given().contentType(ContentType.JSON)
                .body(Map.of("name", "ok-name", "host", "bad host", "sshUser", "Root"))
                .when().post("/api/v1/nodes").then().statusCode(400)
                .body("errors.message", hasItem(containsString("bad host")))
                .body("errors.message", hasItem(containsString("Root")));
        assertThat(Inventory.count()).isZero();
    }

    @Test
    void malformedJsonIsAProblemWithoutInternals() {
        given().contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/v1/nodes").then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:malformed-json"))
                .body("detail", not(containsString("com.fasterxml")))
                .body("detail", not(containsString("Exception")));
    }

    @Test
    void updateWithAStaleVersionIsRefused() {
        long id = create(node("pop-fra-01", "203.0.113.10"));
        Map<String, Object> changed = new java.util.HashMap<>(node("pop-fra-01", "203.0.113.99"));
        changed.put("version", 0);
        given().contentType(ContentType.JSON).body(changed).when().put("/api/v1/nodes/" + id)
                .then().statusCode(200).body("host", equalTo("203.0.113.99")).body("version", equalTo(1));
        given().contentType(ContentType.JSON).body(changed).when().put("/api/v1/nodes/" + id)
                .then().statusCode(409).body("type", equalTo("urn:popfleet:problem:stale-version"));
        given().when().get("/api/v1/audit?action=node.update").then()
                .body("items[0].details.changes.host.from", equalTo("203.0.113.10"))
                .body("items[0].details.changes.host.to", equalTo("203.0.113.99"));
    }

    @Test
    void deletedNodeIsGoneAndUnknownNodeIsAProblem() {
        long id = create(node("pop-fra-01", "203.0.113.10"));
        given().when().delete("/api/v1/nodes/" + id).then().statusCode(204);
        given().when().get("/api/v1/nodes/" + id).then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:node-not-found"));
        given().when().get("/api/v1/groups").then().statusCode(200)
                .body("find { it.name == 'eu' }.nodeCount", equalTo(0));
    }
}
