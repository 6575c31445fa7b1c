package io.popfleet.rollout;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Releases registered from a URL, fetched from a real HTTP server on 127.0.0.1: the pinned hash is the hash of the
 * bytes served, redirects are followed, and every refusal (checksum, size, 404, unreachable, a non-loopback
 * address under {@code popfleet.runs.loopback-only}, a malformed URL) stores no row and leaves no file.
 */
@QuarkusTest
@TestSecurity(user = "test-operator", roles = Roles.OPERATOR, augmentors = RoleHierarchy.class)
class ReleaseFetchTest {

    @Inject
    ReleaseService releases;

    @Inject
    RolloutConfig config;

    @Inject
    EntityManager em;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL controller;

    private HttpServer server;
    private final Map<String, byte[]> served = new LinkedHashMap<>();
    private final List<String> requested = new java.util.concurrent.CopyOnWriteArrayList<>();
    private String base;

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requested.add(path);
            try (exchange) {
                if (path.startsWith("/hop/")) {
                    String to = path.substring("/hop/".length());
                    exchange.getResponseHeaders().add("Location", to.startsWith("http") ? to : "/" + to);
                    exchange.sendResponseHeaders(302, -1);
                    return;
                }
                byte[] body = served.get(path);
                if (body == null) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                // Chunked (length 0), so the size cap is met while streaming, not from a Content-Length.
                exchange.sendResponseHeaders(200, 0);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        // Its releases go with it: the newest registered release is the fleet's target for the pages' tests.
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "delete from rollout_release where version like '7.%'").executeUpdate());
    }

    @Test
    void aReleaseFetchedThroughARedirectIsPinnedByTheHashOfTheBytesServedAndAuditedWithItsUrl() throws Exception {
        byte[] binary = randomBytes(300_000);
        served.put("/pop", binary);
        String version = version();
        String sha = sha256(binary);

        given().contentType(ContentType.JSON).body(Map.of("version", version, "url", base + "/hop/pop?signature=s3cr3t", "sha256",
                sha.toUpperCase())).post("/api/v1/releases/fetch").then().statusCode(201);

        Release release = releases.get(version);
        assertThat(release.sha256()).isEqualTo(sha);
        assertThat(release.sizeBytes()).isEqualTo(binary.length);
        assertThat(release.uploadedBy()).isEqualTo("test-operator");
        assertThat(releases.content(release)).isEqualTo(binary);
        assertThat(requested).containsExactly("/hop/pop", "/pop");
        String details = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select details::text from audit_event where action = 'release.register' and target = :t")
                .setParameter("t", "release " + version).getSingleResult());
        assertThat(details).contains(base + "/hop/pop?", base + "/pop", sha).doesNotContain("s3cr3t");
        assertThat(partFiles()).isEmpty();
    }

    @Test
    void aChecksumMismatchStoresNothing() throws Exception {
        byte[] binary = randomBytes(50_000);
        served.put("/pop", binary);
        String version = version();
        String other = sha256(randomBytes(10));
        int files = releaseFiles();

        refused(Map.of("version", version, "url", base + "/pop", "sha256", other), 422, "release-checksum-mismatch")
                .body("detail", org.hamcrest.Matchers.containsString(sha256(binary)));

        assertThat(releases.find(version)).isEmpty();
        assertThat(releaseFiles()).isEqualTo(files);
        assertThat(partFiles()).isEmpty();
    }

    @Test
    void aBinaryOverTheSizeCapIsCutOffWhileStreamingAndLeavesNoPartialFile() {
        served.put("/big", new byte[(int) config.maxReleaseBytes() + 1]);
        String version = version();

        refused(Map.of("version", version, "url", base + "/big"), 413, "release-too-large");

        assertThat(releases.find(version)).isEmpty();
        assertThat(partFiles()).isEmpty();
    }

    @Test
    void missingUnreachableAndMalformedUrlsAreClearRefusalsAndStoreNothing() {
        String version = version();
        refused(Map.of("version", version, "url", base + "/nothing-here"), 422, "release-fetch-failed")
                .body("detail", org.hamcrest.Matchers.containsString("HTTP 404"));
        refused(Map.of("version", version, "url", "http://127.0.0.1:1/pop"), 422, "release-fetch-failed");
        refused(Map.of("version", version, "url", "ftp://127.0.0.1/pop"), 400, "invalid-release-url");
        refused(Map.of("version", version, "url", "http://user:secret@127.0.0.1/pop"), 400, "invalid-release-url");
        refused(Map.of("version", version, "url", base + "/" + "a".repeat(ReleaseFetcher.MAX_URL_LENGTH)), 400,
                "invalid-release-url");
        refused(Map.of("version", version, "url", "not a url"), 400, "invalid-release-url");
        refused(Map.of("version", version, "url", base + "/pop", "sha256", "abc"), 400, "invalid-sha256");
        refused(Map.of("version", "latest", "url", base + "/pop"), 400, "invalid-version");
        assertThat(releases.find(version)).isEmpty();
        assertThat(requested).containsExactly("/nothing-here");
        assertThat(partFiles()).isEmpty();
    }

    @Test
    void underLoopbackOnlyANonLoopbackAddressIsRefusedBeforeAnyConnection() {
        // 192.0.2.0/24 is TEST-NET-1: nothing answers there, so only the address check can refuse this quickly.
        String version = version();
        refused(Map.of("version", version, "url", "http://192.0.2.10/pop"), 422, "release-url-not-allowed")
                .body("detail", org.hamcrest.Matchers.containsString("192.0.2.10"));
        // A redirect to a non-loopback address is checked like the first URL.
        refused(Map.of("version", version, "url", base + "/hop/http://192.0.2.10/pop"), 422,
                "release-url-not-allowed");
        // A name is refused even when it resolves to loopback today: a name server may answer otherwise when the
        // controller connects. Nothing is requested; the nodes follow the same rule.
        served.put("/by-name", randomBytes(1_000));
        refused(Map.of("version", version, "url", base.replace("127.0.0.1", "localhost") + "/by-name"), 422,
                "release-url-not-allowed").body("detail", org.hamcrest.Matchers.containsString("localhost is not"));
        assertThat(releases.find(version)).isEmpty();
        assertThat(requested).containsExactly("/hop/http://192.0.2.10/pop");
    }

    @Test
    void theCliRegistersAReleaseFromAUrlAndRefusesAFileAndAUrlAtOnce() throws Exception {
        byte[] binary = randomBytes(20_000);
        served.put("/cli-pop", binary);
        String version = version();
        io.popfleet.testing.TestUsers.TestUser operator = io.popfleet.testing.TestUsers.create(Roles.OPERATOR);
        try {
            Map<String, String> env = Map.of("POPFLEET_URL", controller.toString(), "POPFLEET_TOKEN",
                    operator.token(), "POPFLEET_CONFIG", "/nonexistent/popfleet-config");
            java.io.StringWriter out = new java.io.StringWriter();
            java.io.StringWriter err = new java.io.StringWriter();
            int code = io.popfleet.cli.PopfleetCli.execute(new io.popfleet.cli.PopfleetCli.Environment(env,
                    new java.io.PrintWriter(out), new java.io.PrintWriter(err), new java.io.ByteArrayInputStream(
                            new byte[0]), false), "rollout", "release", version, "--from", base + "/cli-pop",
                    "--sha256", sha256(binary));
            assertThat(code).as("stderr: %s", err).isZero();
            assertThat(out.toString()).contains("registered " + version + " sha256 " + sha256(binary));
            assertThat(releases.get(version).sizeBytes()).isEqualTo(binary.length);

            err.getBuffer().setLength(0);
            code = io.popfleet.cli.PopfleetCli.execute(new io.popfleet.cli.PopfleetCli.Environment(env,
                    new java.io.PrintWriter(out), new java.io.PrintWriter(err), new java.io.ByteArrayInputStream(
                            new byte[0]), false), "rollout", "release", version(), "./pop", "--from",
                    base + "/cli-pop");
            assertThat(code).isEqualTo(io.popfleet.cli.ExitCodes.USAGE);
            assertThat(err.toString()).contains("either FILE or --from URL");
        } finally {
            io.popfleet.testing.TestUsers.deleteAll();
        }
    }

    private static ValidatableResponse refused(Map<String, String> body, int status, String code) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/releases/fetch").then()
                .statusCode(status).contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.endsWith(":" + code));
    }

    private static String version() {
        return "7." + ThreadLocalRandom.current().nextInt(1000) + "." + ThreadLocalRandom.current().nextInt(1000);
    }

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random().nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private List<Path> partFiles() {
        return listing().stream().filter(p -> p.getFileName().toString().endsWith(".part")).toList();
    }

    private int releaseFiles() {
        return listing().size();
    }

    private List<Path> listing() {
        Path dir = releases.directory();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
