package io.popfleet.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.testing.Inventory;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

@QuarkusTest
@TestSecurity(user = "auditor", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class AuditTrailTest {

    @Inject
    AuditLog audit;

    @BeforeEach
    @AfterEach
    void emptyTrail() {
        Inventory.clear();
    }

    private void record(String actor, String action, String target, List<String> nodes, String outcome) {
        QuarkusTransaction.requiringNew().run(() -> audit.record(actor, action, target, nodes, outcome, Map.of()));
    }

    @Test
    void theDatabaseRefusesToUpdateDeleteOrTruncateAuditRowsButRetentionStillWorks() {
        record("alice", "node.create", "pop-a", List.of("pop-a"), AuditLog.OK);

        for (String sql : List.of("update audit_event set actor = 'mallory'", "delete from audit_event",
                "truncate audit_event")) {
            assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> AuditEvent.getEntityManager()
                    .createNativeQuery(sql).executeUpdate())).as(sql).hasStackTraceContaining("append-only");
        }
        assertThat(QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>listAll()))
                .singleElement().satisfies(e -> assertThat(e.actor).isEqualTo("alice"));

        long removed = audit.purgeBefore(Instant.now().plusSeconds(60), "retention");

        assertThat(removed).isEqualTo(1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> AuditEvent.<AuditEvent>listAll()))
                .singleElement().satisfies(e -> {
                    assertThat(e.action).isEqualTo("audit.purge");
                    assertThat(e.details).containsEntry("removed", 1);
                });
    }

    @Test
    void theTrailFiltersByActorActionOutcomeNodeAndTimeRange() {
        record("alice", "node.create", "pop-a", List.of("pop-a"), AuditLog.OK);
        record("bob", "run.start", "run 1", List.of("pop-a", "pop-b"), AuditLog.OK);
        record("bob", "request.refused", "POST /api/v1/runs", List.of(), AuditLog.REFUSED);

        given().when().get("/api/v1/audit?actor=bob").then().statusCode(200).body("total", equalTo(2));
        given().when().get("/api/v1/audit?action=node.create").then().body("items[0].actor", equalTo("alice"));
        given().when().get("/api/v1/audit?outcome=refused").then().body("total", equalTo(1))
                .body("items[0].target", equalTo("POST /api/v1/runs"));
        given().when().get("/api/v1/audit?node=pop-b").then().body("total", equalTo(1))
                .body("items[0].nodes", equalTo(List.of("pop-a", "pop-b")));
        given().when().get("/api/v1/audit?node=pop-a&size=1").then().body("total", equalTo(2))
                .body("items.size()", equalTo(1));
        given().when().get("/api/v1/audit?from=2000-01-01&to=2000-01-02").then().body("total", equalTo(0));
        given().when().get("/api/v1/audit?from=" + Instant.now().minusSeconds(600)).then().body("total", equalTo(3));
    }

    @Test
    void aBadFilterIsAClear400() {
        for (String query : List.of("outcome=maybe", "from=yesterday", "from=2026-02-01&to=2026-01-01",
                "page=2147483647", "page=-1")) {
            given().when().get("/api/v1/audit?" + query).then().statusCode(400)
                    .contentType("application/problem+json");
        }
    }

    @Test
    void theCsvExportNeverHandsASpreadsheetAFormula() {
        record("@SUM(1+1)", "node.create", "=HYPERLINK(\"http://127.0.0.1/x\",\"click\")", List.of("-cmd"),
                AuditLog.OK);

        String csv = given().when().get("/api/v1/audit/export?format=csv").then().statusCode(200)
                .contentType(containsString("text/csv")).extract().asString();

        assertThat(csv.lines().findFirst()).contains(AuditCsv.HEADER);
        String row = csv.lines().skip(1).findFirst().orElseThrow();
        assertThat(row).contains("\"'@SUM(1+1)\"").contains("\"'=HYPERLINK(\"\"http://127.0.0.1/x\"\",\"\"click\"\")\"")
                .contains("\"'-cmd\"");
        assertThat(row.split("\",\"")).noneMatch(cell -> cell.startsWith("=") || cell.startsWith("@"));
        given().when().get("/api/v1/audit/export?format=json").then().statusCode(200)
                .body("[0].actor", equalTo("@SUM(1+1)"));
        given().when().get("/api/v1/audit/export?format=xlsx").then().statusCode(400);
    }

    @Test
    void theAuditPageShowsItsFiltersAndEscapesThem() {
        record("alice", "node.create", "pop-a", List.of("pop-a"), AuditLog.OK);

        given().queryParam("actor", "<script>alert(1)</script>").when().get("/audit").then().statusCode(200)
                .body(containsString("name=\"actor\"")).body(containsString("name=\"outcome\""))
                .body(containsString("name=\"from\"")).body(containsString("&lt;script&gt;"))
                .body(not(containsString("<script>alert(1)")));
        given().queryParam("actor", "alice").when().get("/audit").then().statusCode(200)
                .body(containsString("pop-a")).body(containsString("format=csv&actor=alice"));
    }
}
