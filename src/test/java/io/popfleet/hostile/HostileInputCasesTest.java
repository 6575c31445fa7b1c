package io.popfleet.hostile;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;

import io.popfleet.security.AuditEvent;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Endpoints;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** The bad inputs found failing in issue 11, one test each: every one must be a clear 4xx now. */
@QuarkusTest
@TestSecurity(user = "corpus", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class HostileInputCasesTest {

    private static final String PROBLEM = "application/problem+json";

    @BeforeEach
    @AfterEach
    void emptyFleet() {
        Inventory.clearWithRuns();
    }

    @Test
    void aNulByteInAFilterIsRefusedAsInvalidCharacters() {
        given().urlEncodingEnabled(false).when().get("/api/v1/nodes?q=a%00b").then().statusCode(400)
                .contentType(PROBLEM).body("type", equalTo("urn:popfleet:problem:invalid-characters"));
        given().urlEncodingEnabled(false).when().get("/fleet?q=a%00b").then().statusCode(400);
    }

    @Test
    void aNulByteInAJsonStringIsRefusedAndNothingIsStored() {
        given().contentType("application/json").body("{\"name\":\"eu\",\"description\":\"a\\u0000b\"}")
                .when().post("/api/v1/groups").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:popfleet:problem:invalid-characters"));
        assertThat(Inventory.groupCount()).isZero();
    }

    @Test
    void aGroupDescriptionMustBeOneLineOfAtMost500Characters() {
        for (String description : List.of("line one\\nline two", "x\\r\\n[all:vars]", "a".repeat(70_000))) {
            given().contentType("application/json")
                    .body("{\"name\":\"eu\",\"description\":\"" + description + "\"}")
                    .when().post("/api/v1/groups").then().statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo("urn:popfleet:problem:invalid-group-description"));
        }
        assertThat(Inventory.groupCount()).isZero();
        given().contentType("application/json").body("{\"name\":\"eu\",\"description\":\"" + "é".repeat(500) + "\"}")
                .when().post("/api/v1/groups").then().statusCode(201);
    }

    @Test
    void aPageBeyondAnyListIs400OnEveryListThatPages() {
        List<Endpoints.Endpoint> paged = Endpoints.all().stream().filter(Endpoints.Endpoint::isRead)
                .filter(e -> e.params().stream().anyMatch(p -> p.name().equals("page"))).toList();
        assertThat(paged).hasSizeGreaterThan(3);
        for (Endpoints.Endpoint e : paged) {
            for (String page : List.of("2147483647", "-1", "abc", "1e3")) {
                int status = given().urlEncodingEnabled(false).when().get(e.pathWith("1") + "?page=" + page)
                        .then().extract().statusCode();
                if (page.equals("-1") && !e.isApi()) {
                    // Pages show the first page for a negative one; the API refuses it.
                    assertThat(status).as("%s page=%s", e, page).isIn(200, 400, 404);
                } else if (e.path().contains("{")) {
                    assertThat(status).as("%s page=%s (no such id)", e, page).isIn(400, 404);
                } else {
                    assertThat(status).as("%s page=%s", e, page).isEqualTo(400);
                }
            }
        }
    }

    @Test
    void aNonNumericPageIsABadRequestNotANotFound() {
        given().when().get("/api/v1/nodes?page=abc").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:popfleet:problem:invalid-parameter"));
    }

    @Test
    void anExportFormatOtherThanYamlOrIniIs400() {
        for (String format : List.of("%20", "xml", "%00")) {
            given().urlEncodingEnabled(false).when().get("/api/v1/inventory/export?format=" + format).then()
                    .statusCode(400).contentType(PROBLEM);
        }
    }

    @Test
    void theImportFormWithAnUnknownFormatIsRefusedNotAFailure() {
        PageSession page = PageSession.open("/import");
        page.htmx().multiPart("content", "version: 1\nnodes: []\n").multiPart("format", "xml")
                .when().post("/import/preview").then().statusCode(200)
                .body(containsString("format must be yaml or ini"));
        page.form().formParam("content", "version: 1\n").formParam("format", "toml")
                .when().post("/import/apply").then().statusCode(200)
                .body(containsString("format must be yaml or ini"));
    }

    @Test
    void aMultipartFileNameWithAQuoteIsNotAFailure() {
        String boundary = "b0undary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"b\".yaml\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\nversion: 1\nnodes: []\n\r\n--" + boundary + "--\r\n";
        int status = PageSession.open("/import").htmx().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                .encodeContentTypeAs("multipart/form-data", io.restassured.http.ContentType.TEXT)))
                .contentType("multipart/form-data; boundary=" + boundary)
                .body(body.getBytes(StandardCharsets.UTF_8)).when().post("/import/preview").then()
                .body(not(containsString("Exception"))).extract().statusCode();
        assertThat(status).isIn(200, 400);
    }

    @Test
    void aRefusedChangeIsAuditedWithTheCallerAndTheSourceAddress() {
        given().urlEncodingEnabled(false).contentType("application/json").body("{\"name\":\"x y\"}")
                .when().post("/api/v1/groups").then().statusCode(400);

        List<AuditEvent> refused = QuarkusTransaction.requiringNew().call(() -> AuditEvent
                .<AuditEvent>list("action", "request.refused"));
        assertThat(refused).singleElement().satisfies(event -> {
            assertThat(event.outcome).isEqualTo("refused");
            assertThat(event.source).isEqualTo("127.0.0.1");
            assertThat(event.target).isEqualTo("POST /api/v1/groups");
            assertThat(event.details).containsEntry("code", "invalid-group-name").containsEntry("status", 400);
        });
    }
}
