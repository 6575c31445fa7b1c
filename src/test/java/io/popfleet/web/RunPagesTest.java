package io.popfleet.web;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.inventory.NodeService;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunService;
import io.popfleet.runs.RunView;
import io.popfleet.runs.TargetState;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.RunWaits;

import static io.popfleet.testing.FleetAssertions.assertThat;
import static io.popfleet.testing.NodeBuilder.aNode;
import static io.popfleet.testing.RunRequests.inGroups;
import static io.popfleet.testing.RunRequests.read;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

/**
 * The run pages over real rows. The nodes point at a closed loopback port, so runs start and fail fast without
 * any SSH server: the pages, not the engine, are under test here.
 */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class RunPagesTest {

    @Inject
    NodeService nodes;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    @BeforeEach
    void threeNodesTwoInEu() {
        Inventory.clearWithRuns();
        node("web-a", 1, "eu");
        node("web-b", 2, "eu");
        node("web-c", 3, "us");
    }

    private void node(String name, int closedPort, String group) {
        nodes.create(aNode().named(name).at("127.0.0.1", closedPort).loggingInAs("pop").inGroup(group).build(), "test");
    }

    @Test
    void theRunListShowsEachRunWithItsCommandSelectionAndCounts() {
        Run run = planner.plan(read("logs", "--lines", "5"),
                inGroups("eu"), "alice");

        given().when().get("/runs").then().statusCode(200)
                .body(allOf(containsString("href=\"/runs/" + run.id + "\""), containsString("logs --lines 5"),
                        containsString("group eu"), containsString("alice"), containsString("2 total"),
                        containsString("class=\"progress small\"")));
    }

    @Test
    void aRunStillRunningRendersWithItsLiveScript() {
        Run run = planner.plan(read("health"), NodeSelection.all(), "alice");

        // The executor polls each second, so this usually sees the run still running; either way it renders.
        given().when().get("/runs/" + run.id).then().statusCode(200)
                .body(allOf(containsString("Run #" + run.id), containsString("id=\"run-percent\""),
                        containsString("/js/run-live.js")));
    }

    @Test
    void theRunPageShowsEveryNodeAndTheReasonANodeFailed() throws Exception {
        Run run = planner.plan(read("health"), NodeSelection.all(), "alice");
        assertThat(RunWaits.finished(runs, run.id)).hasCounts(0, 3);

        given().when().get("/runs/" + run.id).then().statusCode(200)
                .body(allOf(containsString("Run #" + run.id), containsString("web-a"), containsString("web-c"),
                        containsString("class=\"failure\""), containsString("/js/run-live.js"),
                        containsString("data-running=\"false\"")))
                // Finished with failures: re-running them is offered, cancelling is not.
                .body(matchesPattern("(?s).*<form id=\"retry-form\"[^>]*action=\"/runs/" + run.id
                        + "/retry\" >.*"))
                .body(matchesPattern("(?s).*<form id=\"cancel-form\"[^>]* hidden>.*"));
        given().when().get("/runs/" + run.id + "?state=ok").then().statusCode(200)
                .body(containsString("No node is ok"));
    }

    @Test
    void theRunPageCarriesEveryStateForItsCountsFiltersAndScript() throws Exception {
        Run run = planner.plan(read("health"), NodeSelection.all(), "alice");
        RunWaits.finished(runs, run.id);

        String page = given().when().get("/runs/" + run.id).then().statusCode(200).extract().asString();
        // The script reads these lists instead of keeping its own; the page renders them from the enums.
        assertThat(page).contains("data-states=\"queued claimed running ok failed cancelled orphaned\"")
                .contains("data-pending-states=\"queued claimed running\"")
                .contains("data-run-states=\"running finished cancelled\"");
        for (TargetState state : TargetState.values()) {
            assertThat(page).as(state.dbValue()).contains("<span data-count=\"" + state.dbValue() + "\">")
                    .contains("href=\"?state=" + state.dbValue() + "\"");
            // Only what is done fills the progress bar.
            if (state.isPending()) {
                assertThat(page).as(state.dbValue()).doesNotContain("data-share=\"" + state.dbValue() + "\"");
            } else {
                assertThat(page).as(state.dbValue()).contains("data-share=\"" + state.dbValue() + "\"");
            }
        }
        given().when().get("/runs/" + run.id + "?state=claimed").then().statusCode(200)
                .body(containsString("No node is claimed"));
    }

    @Test
    void theFormOffersTheCatalogAndCountsTheMatchingNodes() {
        given().when().get("/runs/new").then().statusCode(200)
                .body(allOf(containsString("<option value=\"restart\""), containsString("(changes nodes)"),
                        containsString("<strong id=\"node-count\">3</strong>"), containsString("eu (2)")));
        given().when().get("/runs/new/fields?operation=restore").then().statusCode(200)
                .body(allOf(containsString("name=\"arg\""), containsString("placeholder=\"a file name"),
                        containsString("name=\"opt.force\""), containsString("changes nodes")));
    }

    @Test
    void theLiveCountFollowsTheSelectionAndNamesTheConfirmation() {
        PageSession page = PageSession.open("/runs/new");
        page.htmx().contentType(ContentType.URLENC).formParam("operation", "restart").formParam("groups", "eu")
                .when().post("/runs/new/count").then().statusCode(200)
                .body(allOf(containsString("<strong id=\"node-count\">2</strong>"),
                        containsString("Yes, restart 2 nodes"),
                        matchesPattern("(?s).*name=\"confirmation\" value=\"[A-Za-z0-9_-]{20,}\".*")));
        page.htmx().contentType(ContentType.URLENC).formParam("operation", "status").formParam("q", "web-c")
                .when().post("/runs/new/count").then().statusCode(200)
                .body(allOf(containsString("<strong id=\"node-count\">1</strong> node match"),
                        not(containsString("name=\"confirm\""))));
    }

    @Test
    void badArgumentsAreShownNextToTheFormAndNothingStarts() {
        PageSession.open("/runs/new").form().formParam("operation", "logs").formParam("opt.lines", "lots")
                .formParam("q", "web").when().post("/runs/new").then().statusCode(400)
                .body(allOf(containsString("Nothing was started"), containsString("--lines must be a whole number"),
                        containsString("value=\"lots\""), containsString("value=\"web\"")));
        assertThat(runs.count()).isZero();
    }

    @Test
    void aMutatingRunIsRefusedUnlessTheCurrentNodeCountIsConfirmed() {
        PageSession page = PageSession.open("/runs/new");
        page.form().formParam("operation", "restart").when().post("/runs/new")
                .then().statusCode(400).body(containsString("Confirm that restart may change 3 nodes"));
        // Confirmed while three nodes matched, but a fourth joined: the operator confirms again, for four.
        String forThree = PageSession.confirmation(page.htmx().contentType(ContentType.URLENC)
                .formParam("operation", "restart").formParam("groups", "eu").formParam("groups", "us")
                .when().post("/runs/new/count").then().extract().asString());
        node("web-d", 4, "us");
        page.form().formParam("operation", "restart").formParam("groups", "eu").formParam("groups", "us")
                .formParam("confirm", "on").formParam("confirmation", forThree).when().post("/runs/new")
                .then().statusCode(400).body(containsString("Yes, restart 4 nodes"));
        // The counted page no longer offers what an attacker used to send: a number to echo.
        page.form().formParam("operation", "restart").formParam("confirm", "on").formParam("confirmedCount", "4")
                .when().post("/runs/new").then().statusCode(400);
        assertThat(runs.count()).isZero();
    }

    @Test
    void aValidFormStartsTheRunAndRedirectsToItsPage() {
        PageSession page = PageSession.open("/runs/new");
        String confirmation = PageSession.confirmation(page.htmx().contentType(ContentType.URLENC)
                .formParam("operation", "restart").formParam("opt.wait", "5").formParam("groups", "eu")
                .when().post("/runs/new/count").then().extract().asString());
        String location = page.form().redirects().follow(false)
                .formParam("operation", "restart").formParam("opt.wait", "5").formParam("groups", "eu")
                .formParam("confirm", "on").formParam("confirmation", confirmation)
                .when().post("/runs/new").then().statusCode(303).extract().header("Location");

        assertThat(location).matches(".*/runs/[0-9]+$");
        RunView run = runs.list(0, 1).get(0);
        assertThat(location).endsWith("/runs/" + run.id());
        assertThat(run.operation()).isEqualTo("restart");
        assertThat(run.arguments()).containsExactly("--wait", "5");
        assertThat(run.total()).isEqualTo(2);
    }

    @Test
    void anUnknownRunIsAPageNotAStackTrace() {
        given().accept(ContentType.HTML).when().get("/runs/999999").then().statusCode(404)
                .body(not(containsString("Exception")));
    }
}
