package io.popfleet.security;

import java.io.InputStream;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The controller with {@code popfleet.http.tls.mode=self-signed}: it creates its certificate on first start and
 * serves the console over HTTPS on loopback, to a client that trusts exactly that certificate.
 */
@QuarkusTest
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
@TestProfile(SelfSignedTlsTest.SelfSigned.class)
class SelfSignedTlsTest {

    static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "popfleet-tls-test-" + ProcessHandle.current()
            .pid());

    public static class SelfSigned implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("popfleet.http.tls.mode", "self-signed", "popfleet.http.tls.self-signed-dir",
                    DIR.toString(), "quarkus.http.test-ssl-port", "0");
        }
    }

    @TestHTTPResource(value = "/fleet", tls = true)
    URL fleet;

    @Inject
    Scheduler scheduler;

    @Test
    void theBoundHttpsPortStartsTheScheduledJobs() {
        // Over TLS the plain HTTP server does not count as ready (ControllerReadiness); the HTTPS one must.
        await().atMost(Duration.ofSeconds(30)).until(scheduler::isRunning);
    }

    @Test
    void theConsoleIsServedOverHttpsWithItsOwnCertificateAndSecureCookies() throws Exception {
        Path cert = DIR.resolve(SelfSignedCertificate.CERT);
        assertThat(Files.getPosixFilePermissions(DIR.resolve(SelfSignedCertificate.KEY)))
                .isEqualTo(PosixFilePermissions.fromString("rw-------"));

        HttpResponse<String> page = trusting(cert).send(HttpRequest.newBuilder(fleet.toURI()).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(fleet.getProtocol()).isEqualTo("https");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("PoP Fleet");
        // The cookies this controller sets over TLS are never sent back over plain HTTP. (secauth's session
        // cookie follows quarkus.http.auth.form settings; the CSRF cookie is ours.)
        assertThat(page.headers().allValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith(CsrfTokens.COOKIE + "=").contains("Secure").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict"));
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(v -> assertThat(v)
                .contains("frame-ancestors 'none'"));
    }

    @Test
    void aSecondStartReusesTheCertificate() throws Exception {
        // The controller already created the pair when it started for this test.
        String served = Files.readString(DIR.resolve(SelfSignedCertificate.CERT));
        String key = Files.readString(DIR.resolve(SelfSignedCertificate.KEY));

        Path[] again = SelfSignedCertificate.ensure(DIR, java.util.List.of());

        assertThat(Files.readString(again[0])).isEqualTo(served);
        assertThat(Files.readString(again[1])).isEqualTo(key);
    }

    private static HttpClient trusting(Path cert) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("controller", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).build();
    }
}
