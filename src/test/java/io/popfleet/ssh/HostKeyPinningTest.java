package io.popfleet.ssh;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.api.FailureKind;
import io.popfleet.api.Paging;
import io.popfleet.api.ProblemException;
import io.popfleet.inventory.NodeEndpoints;
import io.popfleet.security.AuditEvent;
import io.popfleet.security.AuditLog;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.SshTestFleet;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class HostKeyPinningTest {

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(2);

    static final ExecLimits SHORT = new ExecLimits(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(5), 64 * 1024, 64 * 1024);

    @Inject
    HostKeyService hostKeys;

    @Inject
    CredentialService credentials;

    @Inject
    FleetRegistration registration;

    SshEngine engine;

    @BeforeEach
    void setUp() {
        engine = engine(HostKeyPolicy.STRICT);
    }

    @AfterEach
    void tearDown() {
        engine.close();
        Inventory.clear();
    }

    SshEngine engine(HostKeyPolicy policy) {
        return SshEngine.start(SshSettings.defaults().withLimits(SHORT).withHostKeyPolicy(policy), hostKeys,
                credentials);
    }

    static ExecResult run(SshEngine engine, SshTarget target) throws Exception {
        return engine.exec(target, "echo ok", new byte[0], SHORT).get(15, TimeUnit.SECONDS);
    }

    static String unique(String base) {
        return base + "-" + System.nanoTime();
    }

    List<AuditEvent> audits(String action, String target) {
        return QuarkusTransaction.requiringNew().call(() -> AuditEvent
                .<AuditEvent>list("action = ?1 and target = ?2", action, target));
    }

    @Test
    void keyPinnedByKnownHostsImportIsAccepted() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 0, unique("imported"));

        KnownHostsImport imported = hostKeys.importKnownHosts(FLEET.knownHosts(), "test");

        assertThat(imported.pinned()).isGreaterThanOrEqualTo(1);
        assertThat(run(engine, node).ok()).isTrue();
        assertThat(hostKeys.pin(node.nodeId()).orElseThrow().source()).isEqualTo("imported");
    }

    @Test
    void changedHostKeyFailsWithHostkeyMismatchAndIsAudited() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 1, unique("changed"));
        hostKeys.importKnownHosts(FLEET.knownHosts(), "test");
        String pinned = hostKeys.pin(node.nodeId()).orElseThrow().fingerprint();
        FLEET.inject(1, Fault.WRONG_HOST_KEY);

        ExecResult result = run(engine, node);

        assertThat(result.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
        assertThat(hostKeys.pin(node.nodeId()).orElseThrow().fingerprint()).isEqualTo(pinned);
        assertThat(audits("hostkey.refused", node.name())).singleElement().satisfies(event -> {
            assertThat(event.outcome).isEqualTo(AuditLog.REFUSED);
            assertThat(event.details).containsEntry("reason", "mismatch").containsEntry("pinned", pinned);
        });
        assertThat(hostKeys.sightings(new Paging(0, 500))).anySatisfy(sighting -> {
            assertThat(sighting.nodeId()).isEqualTo(node.nodeId());
            assertThat(sighting.reason()).isEqualTo("mismatch");
        });
    }

    @Test
    void strictPolicyRefusesAnUnpinnedNodeUntilAnOperatorApprovesTheOfferedFingerprint() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 0, unique("strict"));

        ExecResult refused = run(engine, node);
        HostKeySightingView offered = hostKeys.sightings(new Paging(0, 500)).stream()
                .filter(sighting -> sighting.nodeId() == node.nodeId()).findFirst().orElseThrow();
        hostKeys.approve(node.nodeId(), offered.fingerprint(), "alice");
        ExecResult approved = run(engine, node);

        assertThat(refused.failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
        assertThat(offered.reason()).isEqualTo("unpinned");
        assertThat(offered.fingerprint()).isEqualTo(HostKeys.fingerprint(FLEET.node(0).hostKey().getPublic()));
        assertThat(approved.ok()).isTrue();
        assertThat(audits("hostkey.approve", node.name())).singleElement()
                .satisfies(event -> assertThat(event.actor).isEqualTo("alice"));
    }

    @Test
    void concurrentFirstPinsOfOneNodeWithDifferentKeysKeepOneKey() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 0, unique("race"));
        java.security.PublicKey genuine = HostKeyRaceTest.newKey();
        java.security.PublicKey intruder = HostKeyRaceTest.newKey();
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            // Both transactions insert at once; the database decides, and both callers must learn the same winner.
            var first = pool.submit(() -> {
                start.await();
                return hostKeys.pinOnFirstUse(node, genuine);
            });
            var second = pool.submit(() -> {
                start.await();
                return hostKeys.pinOnFirstUse(node, intruder);
            });
            start.countDown();
            java.security.PublicKey a = first.get(15, TimeUnit.SECONDS);
            java.security.PublicKey b = second.get(15, TimeUnit.SECONDS);

            assertThat(HostKeys.same(a, b)).as("both see one pinned key").isTrue();
            assertThat(hostKeys.pin(node.nodeId()).orElseThrow().fingerprint()).isEqualTo(HostKeys.fingerprint(a));
            assertThat(audits("hostkey.pin_tofu", node.name())).singleElement()
                    .satisfies(event -> {
                        assertThat(event.details).containsEntry("fingerprint", HostKeys.fingerprint(a));
                        assertThat(event.nodes).containsExactly(node.name());
                    });
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tofuPinsOnFirstConnectOnceAndAuditsIt() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 1, unique("tofu"));
        try (SshEngine tofu = engine(HostKeyPolicy.TOFU)) {
            assertThat(run(tofu, node).ok()).isTrue();
            tofu.closeSessions();
            assertThat(run(tofu, node).ok()).isTrue();
        }

        assertThat(hostKeys.pin(node.nodeId()).orElseThrow().source()).isEqualTo("tofu");
        assertThat(audits("hostkey.pin_tofu", node.name())).hasSize(1);
    }

    @Test
    void tofuNeverRepinsAChangedKey() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 0, unique("tofu-changed"));
        try (SshEngine tofu = engine(HostKeyPolicy.TOFU)) {
            run(tofu, node);
            tofu.closeSessions();
            FLEET.inject(0, Fault.WRONG_HOST_KEY);

            assertThat(run(tofu, node).failure()).isEqualTo(FailureKind.HOSTKEY_MISMATCH);
        }
        assertThat(hostKeys.pin(node.nodeId()).orElseThrow().fingerprint())
                .isEqualTo(HostKeys.fingerprint(FLEET.node(0).hostKey().getPublic()));
    }

    @Test
    void repinIsAnExplicitAuditedActionThatNeedsAReason() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 1, unique("repin"));
        hostKeys.importKnownHosts(FLEET.knownHosts(), "test");
        String old = hostKeys.pin(node.nodeId()).orElseThrow().fingerprint();
        FLEET.inject(1, Fault.WRONG_HOST_KEY);
        run(engine, node);
        String offered = hostKeys.sightings(new Paging(0, 500)).stream().filter(s -> s.nodeId() == node.nodeId())
                .findFirst().orElseThrow().fingerprint();

        assertThatThrownBy(() -> hostKeys.repin(node.nodeId(), offered, " ", "bob"))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.code()).isEqualTo("reason-required"));
        HostKeyPinView repinned = hostKeys.repin(node.nodeId(), offered, "node reinstalled", "bob");

        assertThat(repinned.source()).isEqualTo("repinned");
        assertThat(run(engine, node).ok()).isTrue();
        assertThat(audits("hostkey.repin", node.name())).satisfiesExactlyInAnyOrder(
                event -> assertThat(event.outcome).isEqualTo(AuditLog.REFUSED),
                event -> assertThat(event.details).containsEntry("old", old).containsEntry("new", offered)
                        .containsEntry("reason", "node reinstalled"));
    }

    /** Targets read from the inventory carry their pin; one read before a re-pin still reaches the re-pinned node. */
    @Test
    void aTargetCarriesThePinAsReadAndAReadBeforeARepinStillConnects() throws Exception {
        SshTarget node = registration.registerNode(FLEET, 1, unique("carried"));
        hostKeys.importKnownHosts(FLEET.knownHosts(), "test");
        SshTarget read = QuarkusTransaction.requiringNew().call(() -> NodeEndpoints.of(
                io.popfleet.inventory.Node.<io.popfleet.inventory.Node>findById(node.nodeId())).orElseThrow());
        assertThat(read.pin()).isEqualTo(FLEET.node(1).hostKey().getPublic());
        assertThat(run(engine, read).ok()).isTrue();
        engine.closeSessions();

        FLEET.inject(1, Fault.WRONG_HOST_KEY);
        assertThat(run(engine, read).failure()).as("the carried pin accepts no other key")
                .isEqualTo(FailureKind.HOSTKEY_MISMATCH);
        String offered = hostKeys.sightings(new Paging(0, 500)).stream().filter(s -> s.nodeId() == node.nodeId())
                .findFirst().orElseThrow().fingerprint();
        hostKeys.repin(node.nodeId(), offered, "node reinstalled", "bob");

        assertThat(run(engine, read).ok()).as("read before the re-pin: the store's pin decides").isTrue();
        SshTarget reread = QuarkusTransaction.requiringNew().call(() -> NodeEndpoints.of(
                io.popfleet.inventory.Node.<io.popfleet.inventory.Node>findById(node.nodeId())).orElseThrow());
        assertThat(HostKeys.fingerprint(reread.pin())).isEqualTo(offered);
    }

    @Test
    void approvingAKeyTheNodeNeverOfferedIsRefusedAndAudited() {
        SshTarget node = registration.registerNode(FLEET, 0, unique("never-offered"));

        assertThatThrownBy(() -> hostKeys.approve(node.nodeId(), "SHA256:made-up", "mallory"))
                .isInstanceOfSatisfying(ProblemException.class,
                        e -> assertThat(e.code()).isEqualTo("no-such-sighting"));
        assertThat(hostKeys.pin(node.nodeId())).isEmpty();
        assertThat(audits("hostkey.approve", node.name())).singleElement()
                .satisfies(event -> assertThat(event.outcome).isEqualTo(AuditLog.REFUSED));
    }

    @Test
    void restImportsKnownHostsListsPinsAndAnswersRefusalsAsProblemDetails() {
        SshTarget node = registration.registerNode(FLEET, 1, unique("rest"));

        // text/plain is a body any web page can send, so it needs a token: here the console's own, as its page
        // script would send it (an API client sends its bearer token instead).
        PageSession.open("/fleet").htmx().contentType("text/plain").body(FLEET.knownHosts())
                .when().post("/api/v1/ssh/host-keys/import")
                .then().statusCode(200).body("pinned", greaterThanOrEqualTo(1));
        given().when().get("/api/v1/ssh/host-keys?size=500")
                .then().statusCode(200).body("items.nodeName", hasItem(node.name()));
        given().contentType("application/json").body("{\"fingerprint\":\"SHA256:whatever\"}")
                .when().post("/api/v1/ssh/host-keys/" + node.nodeId() + "/approve")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:popfleet:problem:already-pinned"));
        given().when().get("/api/v1/ssh/host-keys?size=100000")
                .then().statusCode(400).body("type", equalTo("urn:popfleet:problem:invalid-paging"));
    }
}
