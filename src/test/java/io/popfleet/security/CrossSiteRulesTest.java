package io.popfleet.security;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The cross-site rules as plain functions: which request facts pass, and which refusal each other one gets. */
class CrossSiteRulesTest {

    private static final CrossSiteRules LOOPBACK = new CrossSiteRules(AllowedHosts.of(Optional.empty(), "127.0.0.1"));

    private static RequestFacts get(String host) {
        return new RequestFacts("GET", "/fleet", "http", host, 8080, null, null, null, false, false, false);
    }

    private static RequestFacts post(String path, String origin, String contentType) {
        return new RequestFacts("POST", path, "http", "localhost:8080", 8080, origin, null, contentType, false,
                false, true);
    }

    private static Optional<String> code(RequestFacts request) {
        return LOOPBACK.check(request).map(Refusal::code);
    }

    @Test
    void loopbackNamesOnTheListeningPortAreAnswered() {
        for (String host : List.of("localhost:8080", "127.0.0.1:8080", "[::1]:8080", "LOCALHOST:8080")) {
            assertThat(code(get(host))).as(host).isEmpty();
        }
    }

    @Test
    void otherNamesOtherPortsAndMissingHostsAreMisdirected() {
        for (String host : List.of("evil.example:8080", "localhost:9090", "localhost", "127.0.0.2:8080",
                "localhost.evil.example:8080", "localhost:8080@evil", "")) {
            assertThat(code(get(host))).as(host).contains("host-not-allowed");
        }
        assertThat(code(get(null))).contains("host-not-allowed");
    }

    @Test
    void configuredHostsReplaceTheDefaultsAndMayFixAPort() {
        CrossSiteRules proxied = new CrossSiteRules(AllowedHosts.of(Optional.of(List.of("fleet.example.org:443",
                "fleet-admin")), "0.0.0.0"));
        RequestFacts viaProxy = new RequestFacts("GET", "/", "https", "fleet.example.org", 8443, null, null, null,
                false, false, false);
        assertThat(proxied.check(viaProxy)).isEmpty();
        assertThat(proxied.check(new RequestFacts("GET", "/", "http", "fleet-admin:8080", 8080, null, null, null,
                false, false, false))).isEmpty();
        assertThat(proxied.check(get("localhost:8080"))).isPresent();
    }

    @Test
    void foreignOrNullOriginsAndCrossSiteFetchesMayNotPost() {
        assertThat(code(post("/runs/new", "http://localhost:8080", "application/x-www-form-urlencoded"))).isEmpty();
        for (String origin : List.of("https://evil.example", "http://localhost:9090", "https://localhost:8080",
                "null", "http://localhost:8080.evil.example")) {
            assertThat(code(post("/runs/new", origin, "application/x-www-form-urlencoded"))).as(origin)
                    .contains("cross-site-request");
        }
        RequestFacts fetched = new RequestFacts("POST", "/runs/new", "http", "localhost:8080", 8080, null,
                "cross-site", "application/x-www-form-urlencoded", false, false, true);
        assertThat(code(fetched)).contains("cross-site-request");
    }

    @Test
    void apiPostsDeclareTheirTypeAndSimpleBodiesNeedATokenOrOurOrigin() {
        assertThat(code(post("/api/v1/runs", null, null))).contains("content-type-required");
        assertThat(code(post("/api/v1/runs", null, "application/json"))).isEmpty();
        assertThat(code(post("/api/v1/ssh/host-keys/import", null, "text/plain"))).contains("csrf-token-invalid");
        assertThat(code(post("/api/v1/ssh/host-keys/import", "http://localhost:8080", "text/plain"))).isEmpty();
        RequestFacts bearer = new RequestFacts("POST", "/api/v1/ssh/host-keys/import", "http", "localhost:8080",
                8080, null, null, "text/plain", true, false, true);
        assertThat(code(bearer)).isEmpty();
        assertThat(CrossSiteRules.needsToken(bearer)).isFalse();
    }

    @Test
    void pagesAlwaysNeedTheTokenUnlessTheCallerIsABearerClient() {
        assertThat(CrossSiteRules.needsToken(post("/runs/new", "http://localhost:8080", "multipart/form-data")))
                .isTrue();
        assertThat(CrossSiteRules.needsToken(post("/api/v1/runs", null, "application/json"))).isFalse();
        assertThat(CrossSiteRules.needsToken(get("localhost:8080"))).isFalse();
    }
}
