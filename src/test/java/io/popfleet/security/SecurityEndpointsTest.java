package io.popfleet.security;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import io.popfleet.testing.Endpoints;
import io.popfleet.testing.Endpoints.Endpoint;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.TestUsers;
import io.popfleet.testing.TestUsers.TestUser;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/**
 * Walks every endpoint the controller serves (read from the resource classes, checked against the OpenAPI
 * document) and proves that each declares the role our policy gives it, that an anonymous caller is refused
 * everywhere but the public ones, that a too-weak caller gets 403, and that none of these refusals changes data.
 */
@QuarkusTest
class SecurityEndpointsTest {

    /** The only endpoints open to anyone. */
    private static final Set<String> PUBLIC = Set.of("GET /login", "POST /login", "POST /logout");
    /** Tables a refused request must leave as they were. */
    private static final List<String> TABLES = List.of("node", "node_group", "run", "run_target", "ssh_credential",
            "host_key_pin", "app_user", "api_token", "user_session");

    private static TestUser viewer;
    private static TestUser operator;

    @BeforeAll
    static void users() {
        viewer = TestUsers.create(Roles.VIEWER);
        operator = TestUsers.create(Roles.OPERATOR);
    }

    @AfterAll
    static void removeUsers() {
        TestUsers.deleteAll();
    }

    @Test
    void theEndpointListCoversEveryOperationInTheOpenApiDocument() {
        Map<String, Map<String, Object>> paths = viewer.request().accept("application/json")
                .get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath().getMap("paths");
        Set<String> listed = new TreeSet<>();
        Endpoints.all().forEach(e -> listed.add(e.method() + " " + shape(e.path())));
        Set<String> documented = new TreeSet<>();
        paths.forEach((path, operations) -> operations.keySet().stream()
                .filter(verb -> Set.of("get", "post", "put", "delete", "patch").contains(verb))
                .forEach(verb -> documented.add(verb.toUpperCase() + " " + shape(path))));
        assertThat(documented).isNotEmpty();
        assertThat(listed).containsAll(documented);
        assertThat(Endpoints.all()).hasSizeGreaterThan(40);
    }

    @Test
    void everyEndpointDeclaresTheRoleThePolicyGivesIt() {
        List<String> wrong = new ArrayList<>();
        for (Endpoint endpoint : Endpoints.all()) {
            String declared = declaredRole(endpoint);
            String expected = expectedRole(endpoint);
            if (!expected.equals(declared)) {
                wrong.add(endpoint + " declares " + declared + ", policy says " + expected);
            }
        }
        assertThat(wrong).isEmpty();
    }

    @Test
    void anAnonymousCallerIsRefusedEverywhereButThePublicEndpoints() {
        Map<String, Long> before = counts();
        List<String> open = new ArrayList<>();
        for (Endpoint endpoint : Endpoints.all()) {
            if (PUBLIC.contains(endpoint.toString())) {
                continue;
            }
            Response response = send(given(), endpoint);
            boolean refused = endpoint.isApi() ? response.statusCode() == 401
                    : response.statusCode() == 302
                    && response.header("Location").matches("(http://[^/]+)?/login(\\?.*)?");
            if (!refused) {
                open.add(endpoint + " answered " + response.statusCode());
            }
        }
        assertThat(open).isEmpty();
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anApiRefusalIsAProblemAndAPageSendsTheBrowserToTheLoginForm() {
        given().get("/api/v1/nodes").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("urn:popfleet:problem:unauthenticated"));
        given().redirects().follow(false).get("/runs?page=2").then().statusCode(302)
                .header("Location", endsWith("/login?next=%2Fruns%3Fpage%3D2"));
        given().header("Authorization", "Bearer pft_not-a-token").get("/api/v1/nodes").then().statusCode(401);
    }

    @Test
    void toolsUnderQNeedAViewerExceptHealth() {
        given().get("/q/health").then().statusCode(200);
        given().accept("application/json").get("/q/openapi").then().statusCode(401);
        given().get("/q/metrics").then().statusCode(401);
        viewer.request().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aViewerIsRefusedEveryOperatorAndAdminEndpointAndAnOperatorEveryAdminOne() {
        Map<String, Long> before = counts();
        List<String> open = new ArrayList<>();
        for (Endpoint endpoint : Endpoints.all()) {
            String role = declaredRole(endpoint);
            if (role.equals(Roles.OPERATOR) || role.equals(Roles.ADMIN)) {
                expectForbidden(viewer, endpoint, open);
            }
            if (role.equals(Roles.ADMIN)) {
                expectForbidden(operator, endpoint, open);
            }
        }
        assertThat(open).isEmpty();
        assertThat(counts()).isEqualTo(before);
    }

    private static void expectForbidden(TestUser user, Endpoint endpoint, List<String> open) {
        int status = send(user.request(), endpoint).statusCode();
        if (status != 403) {
            open.add(user.username() + ": " + endpoint + " answered " + status);
        }
    }

    /** Sends the request with placeholder values; a refusal must come before any of them is read. */
    private static Response send(RequestSpecification request, Endpoint endpoint) {
        RequestSpecification spec = request.redirects().follow(false);
        if (!endpoint.isRead()) {
            // As the controller's own pages send it (CSRF cookie and header), so the cross-site gate lets it through
            // and what answers is the role check.
            PageSession page = PageSession.open("/login");
            spec = spec.cookie(PageSession.COOKIE, page.cookie()).header(PageSession.HEADER, page.token());
            Set<String> consumes = endpoint.consumes();
            if (consumes.contains("multipart/form-data")) {
                spec = spec.multiPart("content", "x");
            } else if (consumes.contains("application/x-www-form-urlencoded")) {
                spec = spec.contentType("application/x-www-form-urlencoded").body("x=1");
            } else if (consumes.isEmpty() || consumes.contains("application/json")) {
                spec = spec.contentType("application/json").body("{}");
            } else {
                spec = spec.contentType("text/plain").body("x");
            }
        }
        return spec.request(endpoint.method(), endpoint.pathWith("1"));
    }

    /** The role an endpoint declares: the method's annotation, else its class's; "public" for PermitAll. */
    static String declaredRole(Endpoint endpoint) {
        Method method = endpoint.javaMethod();
        if (method.isAnnotationPresent(PermitAll.class)) {
            return "public";
        }
        RolesAllowed roles = method.isAnnotationPresent(RolesAllowed.class) ? method.getAnnotation(RolesAllowed.class)
                : endpoint.resource().getAnnotation(RolesAllowed.class);
        if (roles != null) {
            assertThat(roles.value()).as(endpoint + " names one role").hasSize(1);
            return roles.value()[0];
        }
        return endpoint.resource().isAnnotationPresent(PermitAll.class) ? "public" : "undeclared";
    }

    /**
     * The policy, written apart from the annotations: reads → viewer; runs → operator; inventory, credentials,
     * host keys, users → admin; tokens → viewer (each user manages their own); backups: starting, verifying,
     * policies, restores and migrations (previews included) → operator, a backup's archive, deleting and key rotation
     * → admin.
     */
    static String expectedRole(Endpoint e) {
        String path = e.path();
        if (PUBLIC.contains(e.toString())) {
            return "public";
        }
        if (path.startsWith("/api/v1/users") || path.startsWith("/users") || path.startsWith("/import")
                || path.startsWith("/api/v1/inventory/import") || path.startsWith("/api/v1/ssh/credentials")) {
            return Roles.ADMIN;
        }
        if (path.startsWith("/api/v1/tokens") || path.startsWith("/account")) {
            return Roles.VIEWER;
        }
        if (path.startsWith("/runs/new") || path.startsWith("/rollouts/new")) {
            return Roles.OPERATOR;
        }
        if (path.equals("/api/v1/backups/{id}/archive")) {
            return Roles.ADMIN; // the plaintext archive holds a node's identity
        }
        if (path.equals("/api/v1/backups/runs") || path.equals("/api/v1/backups/verify")
                || path.equals("/api/v1/backups/{id}/restore")) {
            return Roles.OPERATOR;
        }
        // schedules, and restores and migrations with their previews (a preview reads the node over SSH)
        String shaped = shape(path);
        if (shaped.startsWith("/api/v1/backups/policies/") || shaped.equals("/api/v1/backups/{}/restore-preview")
                || shaped.equals("/api/v1/backups/{}/migrate-preview") || shaped.equals("/api/v1/backups/{}/migrate")
                || shaped.equals("/backups/policies") || shaped.equals("/backups/{}/restore")
                || shaped.equals("/backups/{}/migrate")) {
            return Roles.OPERATOR;
        }
        if (e.isRead()) {
            return Roles.VIEWER;
        }
        return path.startsWith("/api/v1/runs") || path.startsWith("/runs") || path.startsWith("/api/v1/rollouts")
                || path.startsWith("/api/v1/releases") || path.startsWith("/rollouts") ? Roles.OPERATOR : Roles.ADMIN;
    }

    /** A path with its placeholders blanked, so JAX-RS ({id: [0-9]+}) and OpenAPI ({id}) forms compare equal. */
    private static String shape(String path) {
        return path.replaceAll("\\{[^}/]+}", "{}");
    }

    private static Map<String, Long> counts() {
        return QuarkusTransaction.requiringNew().call(() -> {
            EntityManager em = AppUser.getEntityManager();
            Map<String, Long> counts = new java.util.TreeMap<>();
            for (String table : TABLES) {
                counts.put(table, ((Number) em.createNativeQuery("select count(*) from " + table).getSingleResult())
                        .longValue());
            }
            return counts;
        });
    }
}
