package io.popfleet.web;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeService;
import io.popfleet.inventory.NodeView;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunService;
import io.popfleet.security.AuditLog;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.RunWaits;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.inGroups;
import static io.popfleet.testing.RunRequests.mutating;
import static io.popfleet.testing.RunRequests.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

/**
 * The console pages as a new operator finds them (issue 17), over real rows. The nodes point at closed loopback
 * ports, so runs finish fast, failed, without any SSH server.
 */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class ConsolePagesTest {

    private static final String WALLET = "7xKXtg2CW87d97TXJSDpbD5jBkheTqA83TZRuJosgAsU";

    @Inject
    NodeService nodes;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    @Inject
    OperationCatalog catalog;

    @Inject
    AuditLog audit;

    private NodeView webA;

    @BeforeEach
    void threeNodesTwoInEu() {
        Inventory.clearWithRuns();
        webA = nodes.create(aNode().named("web-a").at("127.0.0.1", 1).loggingInAs("pop").inGroup("eu")
                .withWallet(WALLET).build(), "test");
        nodes.create(aNode().named("web-b").at("127.0.0.1", 2).loggingInAs("pop").inGroup("eu").build(), "test");
        nodes.create(aNode().named("web-c").at("127.0.0.1", 3).loggingInAs("pop").inGroup("us").build(), "test");
    }

    private Run finished(Run run) {
        RunWaits.finished(runs, run.id);
        return run;
    }

    private static String page(String path) {
        return given().when().get(path).then().statusCode(200).extract().asString();
    }

    /** The list's row of one run, from its opening tag to its end. */
    private static String row(String page, long runId) {
        int start = page.indexOf("<tr data-run=\"" + runId + "\">");
        assertThat(start).as("run %d listed", runId).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    @Test
    void theRunListShowsPeoplesRunsByDefaultAndFiltersByWhoAndOperation() {
        Run poll = finished(QuarkusTransaction.requiringNew()
                .call(() -> planner.planRoutine(catalog.call("status"), NodeSelection.all(), "monitor")));
        Run alices = finished(planner.plan(read("health"), NodeSelection.all(), "alice"));
        Run bobs = finished(planner.plan(read("logs", "--lines", "5"), inGroups("eu"), "bob"));

        String people = page("/runs");
        assertThat(people).contains("href=\"/runs/" + alices.id + "\"", "href=\"/runs/" + bobs.id + "\"")
                .doesNotContain("href=\"/runs/" + poll.id + "\"");
        // 0 ok, 3 failed: never the green "finished" of a clean run.
        assertThat(row(people, alices.id)).contains("class=\"badge run-failed\"", "finished, 3 failed")
                .doesNotContain("run-finished");

        assertThat(page("/runs?who=polls")).contains("href=\"/runs/" + poll.id + "\"")
                .doesNotContain("href=\"/runs/" + alices.id + "\"");
        assertThat(page("/runs?who=alice")).contains("href=\"/runs/" + alices.id + "\"")
                .doesNotContain("href=\"/runs/" + bobs.id + "\"");
        assertThat(page("/runs?operation=logs")).contains("href=\"/runs/" + bobs.id + "\"")
                .doesNotContain("href=\"/runs/" + alices.id + "\"");
        assertThat(page("/runs?who=*")).contains("href=\"/runs/" + poll.id + "\"", "href=\"/runs/" + alices.id + "\"");
        // The filter offers who started runs, and keeps the choice while paging.
        assertThat(people).contains("<option value=\"alice\"", "<option value=\"polls\"", "<option value=\"logs\"");
    }

    @Test
    void theRunPageShowsTheFailedBadgeAndKeepsTheNodeNameWhole() {
        Run run = finished(planner.plan(read("health"), NodeSelection.all(), "alice"));

        String page = page("/runs/" + run.id);

        assertThat(page).contains("id=\"run-state\" class=\"badge run-failed\">finished, 3 failed<")
                .contains("<td class=\"mono nowrap\"><a href=\"/nodes/")
                // The classified kind rides along on hover.
                // The classified kind rides along on hover; the words say it for a person.
                .contains("<span class=\"failure\" title=\"auth_failed\">SSH login failed: node has no credential");
    }

    @Test
    void aNodePageHistoryListsTheRunsThatReachedIt() {
        Run poll = finished(QuarkusTransaction.requiringNew()
                .call(() -> planner.planRoutine(catalog.call("status"), NodeSelection.all(), "monitor")));
        Run health = finished(planner.plan(read("health"), NodeSelection.all(), "alice"));
        Run logs = finished(planner.plan(read("logs", "--lines", "5"), inGroups("us"), "bob"));

        String page = page("/nodes/" + webA.id());
        String history = page.substring(page.indexOf("id=\"node-history\""));

        assertThat(history).contains("<a href=\"/runs/" + health.id + "\">health</a>", "alice", "failed",
                "node.create")
                // Not on this node, and the monitor's polls show as health and charts instead.
                .doesNotContain("/runs/" + logs.id + "\"").doesNotContain("/runs/" + poll.id + "\"");
        // Newest first: the run came after the node was created.
        assertThat(history.indexOf("/runs/" + health.id)).isLessThan(history.indexOf("node.create"));
    }

    @Test
    void theOperationsCatalogIsServedWhereTheUnknownOperationErrorPoints() {
        given().contentType(ContentType.JSON).body("{\"operation\": \"no-such\"}").when().post("/api/v1/runs")
                .then().statusCode(400).body("detail", containsString("GET /api/v1/operations"));

        given().when().get("/api/v1/operations").then().statusCode(200)
                .body("size()", equalTo(catalog.all().size()))
                .body("operation", hasItems("status", "restart", "configure", "restore"))
                .body("find { it.operation == 'restart' }.mutates", equalTo("always"))
                .body("find { it.operation == 'restart' }.waitOption", equalTo("wait"))
                .body("find { it.operation == 'status' }.mutates", equalTo("never"))
                .body("find { it.operation == 'configure' }.mutates", equalTo("by-arguments"))
                .body("find { it.operation == 'configure' }.mutatesWhen", containsString("KEY=VALUE"))
                .body("find { it.operation == 'restore' }.arguments[0].name", equalTo("archive"))
                .body("find { it.operation == 'restore' }.arguments[0].required", equalTo(true))
                .body("find { it.operation == 'logs' }.options.name", hasItems("lines", "since"));
    }

    @Test
    void theAuditTrailShowsDetailsAsKeyValuePairsAndDatesOnOneLine() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("run", 12);
        details.put("plan", Map.of("added", List.of("web-a", "web-b")));
        QuarkusTransaction.requiringNew().run(() -> audit.record("alice", "run.start", "run 12", AuditLog.OK, details));

        String page = page("/audit");

        assertThat(page).contains("<span class=\"muted\">run:</span> 12",
                "<span class=\"muted\">plan.added:</span> web-a, web-b")
                .doesNotContain("{run=12").doesNotContain("added=[")
                .containsPattern("<td class=\"nowrap\">[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]{8} UTC</td>");
    }

    @Test
    void theRunFormSaysThatNoSelectionMeansAllEnabledNodesAndShowsEveryGroupWhole() {
        String form = page("/runs/new");

        assertThat(form).contains("Leave every field empty to run on all enabled nodes")
                .contains("<select name=\"groups\" multiple size=\"2\">")
                .contains("id=\"selects-all\"", "all enabled nodes)")
                .contains("<p class=\"include-disabled\">");
        PageSession session = PageSession.open("/runs/new");
        String narrowed = session.htmx().contentType(ContentType.URLENC).formParam("operation", "status")
                .formParam("groups", "eu").when().post("/runs/new/count").then().statusCode(200).extract().asString();
        assertThat(narrowed).contains("<strong id=\"node-count\">2</strong>").doesNotContain("selects-all");
    }

    @Test
    void theFleetPageGroupsAlertsMostUrgentFirstWritesThousandsAndFlagsBackupsQuietly() {
        QuarkusTransaction.requiringNew().run(() -> {
            var em = Node.getEntityManager();
            List<Long> ids = em.createQuery("select n.id from Node n order by n.name", Long.class).getResultList();
            for (Long id : ids) {
                em.createNativeQuery("insert into node_status (node_id, at, state, points) values (:id, now(), 'up',"
                        + " :points)").setParameter("id", id).setParameter("points", id.equals(ids.get(0)) ? 66090 : 0)
                        .executeUpdate();
                em.createNativeQuery("insert into node_backup (node_id, observed_at, backup_count) values (:id, now(),"
                        + " 0)").setParameter("id", id).executeUpdate();
                em.createNativeQuery("insert into alert (id, node_id, rule, message) values (nextval('alert_seq'),"
                        + " :id, 'backup_stale', 'no backup')").setParameter("id", id).executeUpdate();
            }
            em.createNativeQuery("insert into alert (id, node_id, rule, message) values (nextval('alert_seq'), :id,"
                    + " 'node_down', 'down at the last 3 polls')").setParameter("id", ids.get(2)).executeUpdate();
        });

        String page = page("/fleet");

        assertThat(page).contains("<div class=\"value\">66,090</div>");
        int down = page.indexOf("data-rule=\"node_down\"");
        int stale = page.indexOf("data-rule=\"backup_stale\"");
        assertThat(down).isPositive().isLessThan(stale);
        assertThat(page).containsPattern("(?s)data-rule=\"backup_stale\">\\s*<h3><span class=\"mono\">backup_stale"
                + "</span> · 3 nodes</h3>");
        // A missing backup is flagged in the cell's text colour, not with a red badge per row.
        assertThat(page).contains("<td data-field=\"backup\"><span class=\"backup stale\"")
                .doesNotContainPattern("data-field=\"backup\"><span class=\"badge");
    }

    @Test
    void theDriftPageMarksANodeWhoseFixRanSinceItsFactsWereRead() {
        Instant observed = Instant.now().minus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MICROS);
        QuarkusTransaction.requiringNew().run(() -> Node.getEntityManager()
                .createNativeQuery("insert into node_status (node_id, at, last_seen_at, state, wallet) values (:id, :at, :at,"
                        + " 'up', 'SomeOtherWa11etAddressThatIsNotTheInventorys1')")
                .setParameter("id", webA.id()).setParameter("at", observed).executeUpdate());
        assertThat(page("/drift")).contains("data-node=\"web-a\" data-kind=\"wallet_inventory\">")
                .doesNotContain("data-fix-ran");

        // The fix ran and succeeded on web-a (here: a run whose target is marked ok, as a real node would answer).
        Run fix = finished(planner.plan(mutating("set-wallet", WALLET), NodeSelection.all(), "alice"));
        QuarkusTransaction.requiringNew().run(() -> Node.getEntityManager()
                .createNativeQuery("update run_target set state = 'ok', failure_kind = null, failure_message = null"
                        + " where run_id = :run and node_id = :node")
                .setParameter("run", fix.id).setParameter("node", webA.id()).executeUpdate());

        assertThat(page("/drift")).contains("data-node=\"web-a\" data-kind=\"wallet_inventory\" data-fix-ran=\""
                + fix.id + "\"", "set-wallet ran", "waiting for the next poll");
    }
}
