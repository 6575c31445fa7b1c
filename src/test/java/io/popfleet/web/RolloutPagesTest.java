package io.popfleet.web;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import io.popfleet.inventory.NodeService;
import io.popfleet.rollout.ReleaseService;
import io.popfleet.rollout.RolloutRequest;
import io.popfleet.rollout.RolloutService;
import io.popfleet.rollout.RolloutView;
import io.popfleet.rollout.StrategySpec;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * The rollout wizard, the drift page's way into it, the fleet versions, the history and the roll-back button, over
 * real rows. Every rollout here is started with a maintenance window that excludes the present, so the engine
 * starts no node: these are the pages' tests; the engine's are in {@code RolloutEngineTest}.
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class RolloutPagesTest {

    private static final String OLD = "0.2.7";
    private static final String NEW = "0.2.8";
    private static final Pattern PLAN = Pattern.compile("name=\"plan\" value=\"([0-9a-f]{64})\"");

    @Inject
    NodeService nodes;

    @Inject
    RolloutService rollouts;

    @Inject
    ReleaseService releases;

    @Inject
    EntityManager em;

    /** Four enabled nodes on 0.2.7 in two regions, one already on 0.2.8, one disabled; both versions registered. */
    /** Fixed per test: a window read afresh at a minute's turn would change the strategy between preview and start. */
    private static String window;

    @BeforeEach
    void fleet() {
        DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
        LocalTime now = LocalTime.now(ZoneOffset.UTC);
        window = now.plusHours(2).format(hhmm) + "-" + now.plusHours(3).format(hhmm);
        Inventory.clearWithRuns();
        // Closed loopback ports, each its own: no SSH server is needed, the engine starts no node here.
        List<String> names = List.of("wiz-a1", "wiz-a2", "wiz-b1", "wiz-b2", "wiz-new");
        for (int i = 0; i < names.size(); i++) {
            nodes.create(aNode().named(names.get(i)).at("127.0.0.1", i + 1).loggingInAs("pop")
                    .inRegion("r-" + names.get(i).charAt(4)).build(), "test");
        }
        nodes.create(aNode().named("wiz-off").at("127.0.0.1", 9).loggingInAs("pop").disabled().build(), "test");
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("delete from rollout").executeUpdate();
            em.createNativeQuery("insert into node_status (node_id, at, last_seen_at, state, service_state,"
                    + " binary_version) select id, now(), now(), 'up', 'running', case when name = 'wiz-new' then '" + NEW + "' else '"
                    + OLD + "' end from node").executeUpdate();
        });
        for (String version : List.of(OLD, NEW)) {
            releases.find(version).orElseGet(() -> releases.register(version, new ByteArrayInputStream(
                    ("simulated pop " + version).getBytes(StandardCharsets.UTF_8)), "test"));
        }
    }

    @AfterEach
    void noRolloutLeftOpen() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from rollout").executeUpdate());
    }

    @Test
    void theWizardOpensPrefilledFromALinkWithTheDefaultStrategy() {
        String page = given().queryParam("version", NEW).queryParam("nodes", "wiz-a1 wiz-b1").get("/rollouts/new")
                .then().statusCode(200).extract().asString();
        assertThat(page).contains("<option value=\"" + NEW + "\" selected>", "name=\"nodes\" value=\"wiz-a1 wiz-b1\"",
                "name=\"canary\" value=\"1\"", "name=\"batches\" value=\"1, 5%, 25%, rest\"",
                "name=\"autoRevert\" checked", "id=\"register-release\"", "id=\"rollout-preview\"")
                .doesNotContain("id=\"rollout-start\"", "id=\"form-errors\"");
        // A version nobody registered is shown as such, not silently replaced by another.
        assertThat(given().get("/rollouts/new?version=9.9.9").then().statusCode(200).extract().asString())
                .contains("<option value=\"9.9.9\" selected>9.9.9 (not registered)</option>");
    }

    @Test
    void badFieldsAreA400NamingEachFieldWithTheFormAsTyped() {
        PageSession session = PageSession.open("/rollouts/new");
        String page = wizard(session.form()).formParam("version", NEW).formParam("canary", "rest")
                .formParam("maxPerRegion", "-1").formParam("healthyDeadline", "soon")
                .formParam("window", "25:00-26:00").formParam("batches", "rest, 5").when()
                .post("/rollouts/new/preview").then().statusCode(400).extract().asString();
        assertThat(page).contains("id=\"form-errors\"", "5 fields are invalid; nothing was started.",
                "data-error=\"canary\"", "data-error=\"maxPerRegion\"", "data-error=\"healthyDeadline\"",
                "data-error=\"window\"", "data-error=\"batches\"",
                "healthy deadline: a whole number from 1 to 3600, not &quot;soon&quot;",
                "name=\"healthyDeadline\" value=\"soon\"", "name=\"window\" value=\"25:00-26:00\"")
                .doesNotContain("id=\"rollout-start\"");
        // A version not in the registry is the form's error too, with the way to register it.
        String unknown = wizard(session.form()).formParam("version", "9.9.9").when().post("/rollouts/new/preview")
                .then().statusCode(400).extract().asString();
        assertThat(unknown).contains("data-error=\"version\"", "9.9.9 is not registered",
                "popfleet rollout release 9.9.9");
        assertThat(rolloutCount()).isZero();
    }

    @Test
    void thePreviewListsEveryBatchAndSkippedNodeAndStartStartsExactlyThat() {
        PageSession session = PageSession.open("/rollouts/new");
        String preview = preview(session, "2, rest").post("/rollouts/new/preview").then().statusCode(200)
                .extract().asString();
        assertThat(preview).contains("id=\"rollout-preview-result\"", "id=\"rollout-start\"",
                "4 nodes in 3 batches");
        // Order by name, canary of one, then two, then the rest.
        assertThat(batchRow(preview, 0)).contains("canary", "wiz-a1").doesNotContain("wiz-a2");
        assertThat(batchRow(preview, 1)).contains("wiz-a2", "wiz-b1");
        assertThat(batchRow(preview, 2)).contains("wiz-b2");
        assertThat(preview).contains("data-node=\"wiz-new\" data-reason=\"on-target\"",
                "data-node=\"wiz-off\" data-reason=\"disabled\"");
        String plan = plan(preview);

        // Without the preview's fingerprint nothing starts; with another strategy than previewed neither.
        preview(session, "2, rest").post("/rollouts/new").then().statusCode(400);
        String changed = preview(session, "rest").formParam("plan", plan).post("/rollouts/new").then()
                .statusCode(409).extract().asString();
        assertThat(changed).contains("The plan changed since the preview").contains("id=\"rollout-start\"");
        assertThat(rolloutCount()).isZero();

        Response started = preview(session, "2, rest").formParam("plan", plan).redirects().follow(false)
                .post("/rollouts/new");
        assertThat(started.statusCode()).isEqualTo(303);
        long id = Long.parseLong(started.header("Location").replaceAll(".*/rollouts/", ""));
        RolloutView rollout = rollouts.get(id);
        assertThat(rollout.version()).isEqualTo(NEW);
        assertThat(rollout.eligible()).isEqualTo(4);
        assertThat(rollout.batches()).isEqualTo(3);
        assertThat(rollout.createdBy()).isEqualTo("test-admin");
        assertThat(rollout.strategy().batches()).isEqualTo("2, rest");
        assertThat(rollout.nodes()).containsEntry("pending", 4).containsEntry("skipped", 2);
        assertThat(rolloutCount()).isEqualTo(1);
    }

    @Test
    void theDriftPagesVersionFixOpensTheWizardWithTheDriftingNodesAndTheTarget() {
        String drift = given().get("/drift?kind=version").then().statusCode(200).extract().asString();
        assertThat(drift).contains("href=\"/rollouts/new?version=" + NEW + "&amp;nodes=wiz-a1\"",
                "action=\"/rollouts/new/prepare\"").doesNotContain("--manifest");
        Matcher nodesField = Pattern.compile("id=\"bulk-fix\">.*?name=\"nodes\" value=\"([^\"]*)\"", Pattern.DOTALL)
                .matcher(drift);
        assertThat(nodesField.find()).isTrue();
        assertThat(nodesField.group(1).split(" ")).containsExactlyInAnyOrder("wiz-a1", "wiz-a2", "wiz-b1", "wiz-b2");

        String prepared = PageSession.open("/drift").form().formParam("version", NEW)
                .formParam("nodes", nodesField.group(1)).post("/rollouts/new/prepare").then().statusCode(200)
                .extract().asString();
        assertThat(prepared).contains("<option value=\"" + NEW + "\" selected>",
                "name=\"nodes\" value=\"" + nodesField.group(1) + "\"", "name=\"autoRevert\" checked");
        assertThat(rolloutCount()).isZero();
    }

    @Test
    void anEndedRolloutOffersTheRollBackWhichStartsTheFollowUpRollout() {
        RolloutView forward = rollouts.start(new RolloutRequest(NEW, null, null, null, List.of("wiz-a1", "wiz-b1"),
                idle("rest")), "test-admin");
        assertThat(given().get("/rollouts/" + forward.id()).then().statusCode(200).extract().asString())
                .doesNotContain("id=\"rollout-rollback-button\"");
        // The engine's part (updating, gating) is RolloutEngineTest's; here the rollout is made to have ended.
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update rollout_node set state = 'healthy', holds = false where rollout_id = ?1")
                    .setParameter(1, forward.id()).executeUpdate();
            em.createNativeQuery("update rollout set state = 'finished', finished_at = now() where id = ?1")
                    .setParameter(1, forward.id()).executeUpdate();
        });
        String page = given().get("/rollouts/" + forward.id()).then().statusCode(200).extract().asString();
        assertThat(page).contains("id=\"rollout-rollback-button\"", "putting the 2 nodes it updated back");

        Response back = PageSession.open("/rollouts/" + forward.id()).form().redirects().follow(false)
                .post("/rollouts/" + forward.id() + "/rollback");
        assertThat(back.statusCode()).isEqualTo(303);
        long id = Long.parseLong(back.header("Location").replaceAll(".*/rollouts/", ""));
        RolloutView rollBack = rollouts.get(id);
        assertThat(rollBack.version()).isEqualTo(OLD);
        assertThat(rollBack.eligible()).isEqualTo(2);
        assertThat(rollBack.selection()).contains("wiz-a1", "wiz-b1");

        // The history: both, filterable by state and version; the fleet versions above it.
        String history = given().get("/rollouts").then().statusCode(200).extract().asString();
        assertThat(history).contains("data-rollout=\"" + forward.id() + "\"", "data-rollout=\"" + id + "\"",
                "id=\"fleet-target\">" + NEW + "<", "id=\"fleet-behind\">4<", "data-version=\"" + OLD + "\"",
                "id=\"new-rollout\"");
        assertThat(given().get("/rollouts?state=finished").then().statusCode(200).extract().asString())
                .contains("data-rollout=\"" + forward.id() + "\"").doesNotContain("data-rollout=\"" + id + "\"");
        assertThat(given().get("/rollouts?version=" + OLD).then().statusCode(200).extract().asString())
                .contains("data-rollout=\"" + id + "\"").doesNotContain("data-rollout=\"" + forward.id() + "\"");
        // The API's list takes the same filters; a state that does not exist is a 400, not an empty page.
        given().get("/api/v1/rollouts?state=running").then().statusCode(200).body("total", equalTo(1))
                .body("items[0].id", equalTo((int) id));
        given().get("/api/v1/rollouts?state=done").then().statusCode(400);
    }

    @Test
    void aFormPostWithoutTheCsrfTokenStartsNothing() {
        PageSession session = PageSession.open("/rollouts/new");
        String plan = plan(preview(session, "rest").post("/rollouts/new/preview").then().statusCode(200).extract()
                .asString());
        wizard(given().cookie(PageSession.COOKIE, session.cookie()).contentType(ContentType.URLENC))
                .formParam("version", NEW).formParam("plan", plan).post("/rollouts/new").then().statusCode(403);
        given().contentType(ContentType.URLENC).header("Sec-Fetch-Site", "cross-site").formParam("version", NEW)
                .formParam("plan", plan).post("/rollouts/new").then().statusCode(403);
        assertThat(rolloutCount()).isZero();
    }

    @Test
    @TestSecurity(user = "test-viewer", roles = Roles.VIEWER, augmentors = RoleHierarchy.class)
    void aViewerReadsTheRolloutsButCannotOpenTheWizardNorStartOne() {
        PageSession session = PageSession.open("/rollouts");
        assertThat(given().get("/rollouts").then().statusCode(200).extract().asString())
                .contains("id=\"fleet-versions\"").doesNotContain("id=\"new-rollout\"", "id=\"roll-out-target\"");
        given().get("/rollouts/new").then().statusCode(403);
        wizard(session.form()).formParam("version", NEW).formParam("plan", "0".repeat(64)).post("/rollouts/new")
                .then().statusCode(403);
        wizard(session.form()).formParam("version", NEW).post("/rollouts/new/preview").then().statusCode(403);
        assertThat(rolloutCount()).isZero();
    }

    /** The wizard's form for the four old nodes and the two skipped ones, by name, canary of one. */
    private static RequestSpecification preview(PageSession session, String batches) {
        return wizard(session.form()).formParam("version", NEW).formParam("q", "wiz-").formParam("order", "name")
                .formParam("canary", "1").formParam("batches", batches).formParam("maxPerRegion", "0")
                .formParam("window", window()).when();
    }

    private static RequestSpecification wizard(RequestSpecification form) {
        return form.formParam("wizard", "1");
    }

    /** A strategy whose maintenance window excludes the present: the rollout is open and starts no node. */
    private static StrategySpec idle(String batches) {
        return new StrategySpec("name", null, "0", false, batches, 0, 0, "0", 30, 0, 0, true, null, window());
    }

    private static String window() {
        return window;
    }

    private static String plan(String page) {
        Matcher plan = PLAN.matcher(page);
        assertThat(plan.find()).as("the preview carries its plan").isTrue();
        return plan.group(1);
    }

    private static String batchRow(String page, int index) {
        int start = page.indexOf("<tr data-batch=\"" + index + "\">");
        assertThat(start).as("batch %d listed", index).isNotNegative();
        return page.substring(start, page.indexOf("</tr>", start));
    }

    private long rolloutCount() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from rollout").getSingleResult()).longValue());
    }
}
