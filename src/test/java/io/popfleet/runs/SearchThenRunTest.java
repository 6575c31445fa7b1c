package io.popfleet.runs;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.ManualExecutorProfile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/**
 * "Search the fleet, then run on those nodes": the nodes the fleet search lists are exactly the nodes a run with the
 * same filters targets, and the count the new-run form shows. No executor runs, so the planned targets stay as
 * the planner wrote them and no node is ever contacted.
 */
@QuarkusTest
@TestProfile(ManualExecutorProfile.class)
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class SearchThenRunTest {

    @BeforeEach
    void fiveNodesOneDisabled() {
        Inventory.clearWithRuns();
        node("pop-fra-01", "127.0.0.11", "eu-central", "rack 4", List.of("eu"), List.of("canary", "provider=hetzner"),
                true);
        node("pop-ams-02", "127.0.0.12", "eu-west", "peers at the Frankfurt exchange", List.of("eu"),
                List.of("provider=ovh"), true);
        node("pop-sgp-01", "127.0.0.13", "ap-southeast", null, List.of("asia"), List.of(), true);
        node("pop-nyc-01", "127.0.0.14", "us-east", "retired", List.of("us"), List.of("provider=ovh"), false);
        node("pop-ewr-02", "127.0.0.15", "us-east", "spare cheap_box, 100% idle", List.of("us"), List.of("canary"),
                true);
    }

    /**
     * A fleet search (the API's query parameters, written unencoded), the same filters as a run selection, and the
     * nodes both must give.
     */
    static Stream<Arguments> filters() {
        return Stream.of(
                Arguments.of("q=southeast", selection(null, null, "southeast", false), List.of("pop-sgp-01")),
                Arguments.of("q=frankfurt", selection(null, null, "frankfurt", false), List.of("pop-ams-02")),
                Arguments.of("q=FRA", selection(null, null, "FRA", false), List.of("pop-ams-02", "pop-fra-01")),
                Arguments.of("q=127.0.0.13", selection(null, null, "127.0.0.13", false), List.of("pop-sgp-01")),
                // LIKE wildcards typed by the operator are literal: "0%" is not "every name with a 0".
                Arguments.of("q=0%", selection(null, null, "0%", false), List.of("pop-ewr-02")),
                Arguments.of("q=p_0", selection(null, null, "p_0", false), List.of()),
                Arguments.of("group=eu", selection("eu", null, null, false), List.of("pop-ams-02", "pop-fra-01")),
                Arguments.of("tag=provider", selection(null, "provider", null, false),
                        List.of("pop-ams-02", "pop-fra-01")),
                Arguments.of("tag=provider=ovh&q=east", selection(null, "provider=ovh", "east", true),
                        List.of("pop-nyc-01")),
                Arguments.of("group=us&q=EAST", selection("us", null, "EAST", true),
                        List.of("pop-ewr-02", "pop-nyc-01")),
                Arguments.of("q=retired", selection(null, null, "retired", false), List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("filters")
    void aRunTargetsExactlyTheNodesTheFleetSearchShows(String search, Map<String, Object> selection,
            List<String> expected) {
        // A run covers enabled nodes unless told otherwise; the fleet search shows both unless told otherwise.
        boolean includeDisabled = Boolean.TRUE.equals(selection.get("includeDisabled"));
        Map<String, String> params = new HashMap<>(Map.of("size", "500"));
        for (String param : search.split("&")) {
            params.put(param.substring(0, param.indexOf('=')), param.substring(param.indexOf('=') + 1));
        }
        if (!includeDisabled) {
            params.put("enabled", "true");
        }
        List<String> shown = given().queryParams(params).when().get("/api/v1/nodes")
                .then().statusCode(200).extract().jsonPath().getList("items.name", String.class);
        assertThat(shown).containsExactlyElementsOf(expected);

        given().contentType(ContentType.JSON).body(selection).when().post("/api/v1/runs/count")
                .then().statusCode(200).body("nodes", equalTo(expected.size()));

        Map<String, Object> request = Map.of("operation", "status", "selection", selection);
        if (expected.isEmpty()) {
            given().contentType(ContentType.JSON).body(request).when().post("/api/v1/runs")
                    .then().statusCode(400).body("type", equalTo("urn:popfleet:problem:empty-selection"));
            return;
        }
        long run = given().contentType(ContentType.JSON).body(request).when().post("/api/v1/runs")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        List<String> targeted = given().when().get("/api/v1/runs/" + run + "/targets?size=500")
                .then().statusCode(200).extract().jsonPath().getList("items.nodeName", String.class);
        assertThat(targeted).containsExactlyInAnyOrderElementsOf(shown);
    }

    private static Map<String, Object> selection(String group, String tag, String q, boolean includeDisabled) {
        Map<String, Object> selection = new HashMap<>();
        if (group != null) {
            selection.put("groups", List.of(group));
        }
        if (tag != null) {
            selection.put("tags", List.of(tag));
        }
        if (q != null) {
            selection.put("q", q);
        }
        selection.put("includeDisabled", includeDisabled);
        return selection;
    }

    private static void node(String name, String host, String region, String notes, List<String> groups,
            List<String> tags, boolean enabled) {
        Map<String, Object> body = new HashMap<>(Map.of("name", name, "host", host, "region", region,
                "groups", groups, "tags", tags, "enabled", enabled));
        if (notes != null) {
            body.put("notes", notes);
        }
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/nodes").then().statusCode(201);
    }
}
