package io.popfleet.web;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class ErrorResponsesTest {

    @Test
    void unknownApiNodeIsAProblemDocument() {
        given().when().get("/api/v1/nodes/987654321").then().statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:node-not-found"))
                .body("status", equalTo(404));
    }

    @Test
    void wrongMethodAndMediaTypeAreProblemsToo() {
        given().when().patch("/api/v1/nodes/1").then().statusCode(405)
                .body("type", equalTo("urn:popfleet:problem:method-not-allowed"));
        given().contentType("text/csv").body("a,b").when().post("/api/v1/nodes").then().statusCode(415)
                .body("type", equalTo("urn:popfleet:problem:unsupported-media-type"));
    }

    @Test
    void aMissingNodePageIsAnHtmlPageWithoutInternals() {
        given().accept("text/html").when().get("/nodes/987654321").then().statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("node 987654321 does not exist"))
                .body(not(containsString("Exception")))
                .body(not(containsString("io.popfleet")));
    }

    @Test
    void pagesRenderAndTheFleetPageServesItsTableAloneToHtmx() {
        given().when().get("/fleet").then().statusCode(200).body(containsString("<h1>Fleet</h1>"))
                .body(containsString("/vendor/htmx-2.0.11.min.js"));
        given().header("HX-Request", "true").header("HX-Target", "fleet-table").when().get("/fleet?q=zzz")
                .then().statusCode(200).body(not(containsString("<html"))).body(containsString("No nodes match"));
        given().when().get("/import").then().statusCode(200).body(containsString("Import an inventory"));
        given().when().get("/audit").then().statusCode(200).body(containsString("Audit trail"));
        given().when().get("/vendor/htmx-2.0.11.min.js").then().statusCode(200);
    }

    @Test
    void healthIsUpWithADatabaseCheckAndOpenApiIsPublished() {
        given().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"))
                .body(containsString("Database connections health check"));
        given().accept("application/json").when().get("/q/openapi").then().statusCode(200)
                .body(containsString("/api/v1/nodes"));
    }
}
