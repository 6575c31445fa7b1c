package io.popfleet.ssh;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.api.ProblemException;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.SshTestFleet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class CredentialServiceTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(1);

    @Inject
    CredentialService credentials;

    @Inject
    EntityManager em;

    SshEngine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    static String unique(String base) {
        return base + "-" + System.nanoTime();
    }

    @Test
    void generatedEd25519KeyShowsItsPublicLineAndIsStoredSealed() {
        String name = unique("gen");

        CredentialView created = credentials.generateEd25519(name, "alice");
        byte[] stored = QuarkusTransaction.requiringNew().call(() -> SshCredential.byName(name).orElseThrow()
                .privateKeySealed);

        assertThat(created.publicKey()).startsWith("ssh-ed25519 AAAA").endsWith(" popfleet:" + name);
        assertThat(created.fingerprint()).startsWith("SHA256:");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("PRIVATE KEY")
                .doesNotContain("openssh-key-v1");
        assertThat(HostKeys.openSshLine(credentials.keyPair(name).getPublic()))
                .isEqualTo(created.publicKey().substring(0, created.publicKey().lastIndexOf(' ')));
    }

    @Test
    void importedPassphraseProtectedKeyAuthenticatesAgainstANode() throws Exception {
        String name = unique("imported");
        credentials.importPrivateKey(name, FLEET.clientKeyOpenSsh("correct horse"), "correct horse", "alice");
        engine = SshEngine.start(SshSettings.defaults(), FLEET.pinnedHostKeys(), credentials);
        SshTarget base = FLEET.target(0);
        SshTarget target = new SshTarget(base.nodeId(), base.name(), base.host(), base.port(), "pop", name);

        ExecResult result = engine.exec(target, "echo in").get(20, TimeUnit.SECONDS);

        assertThat(result.ok()).isTrue();
        assertThat(result.stdout()).isEqualTo("in\n");
    }

    @Test
    void wrongPassphraseIsRefusedWithoutStoringAnything() {
        String name = unique("wrong");

        assertThatThrownBy(() -> credentials.importPrivateKey(name, FLEET.clientKeyOpenSsh("right"), "wrong", "a"))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.code()).isEqualTo("bad-private-key"));
        assertThat(credentials.find(name)).isEmpty();
    }

    @Test
    void unknownCredentialIsUnavailable() {
        assertThatThrownBy(() -> credentials.keyPair("no-such-" + System.nanoTime()))
                .isInstanceOf(CredentialUnavailableException.class);
    }

    @Test
    void restGenerateAnswersWithThePublicKeyAndNeverThePrivateKey() {
        String name = unique("rest");

        given().contentType("application/json").body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/ssh/credentials/generate")
                .then().statusCode(201)
                .body("publicKey", startsWith("ssh-ed25519 "))
                .body(not(containsString("PRIVATE")))
                .body(not(containsString("privateKey")));
        given().contentType("application/json").body("{\"name\":\"" + name + "\"}")
                .when().post("/api/v1/ssh/credentials/generate")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:credential-exists"));
    }

    @Test
    void restImportRefusesGarbageAsProblemDetails() {
        given().contentType("application/json").body("{\"name\":\"garbage\",\"privateKey\":\"not a key\"}")
                .when().post("/api/v1/ssh/credentials/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:bad-private-key"));
    }

}
