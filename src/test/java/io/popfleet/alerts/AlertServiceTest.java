package io.popfleet.alerts;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.inventory.NodeService;
import io.popfleet.runs.Run;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Inventory;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** Rules over stored observations, alert lifecycle, and delivery to a webhook receiver on loopback. */
@QuarkusTest
// Not a security test: every request acts as an admin (RoleHierarchy adds operator and viewer, as in prod).
@TestSecurity(user = "test-admin", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
@TestProfile(AlertServiceTest.WithWebhook.class)
class AlertServiceTest {

    private static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    private static final java.util.concurrent.atomic.AtomicInteger DEAD_ATTEMPTS =
            new java.util.concurrent.atomic.AtomicInteger();
    private static HttpServer receiver;

    /** A webhook on a loopback port fixed for this profile, and a target version to check. */
    public static class WithWebhook implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("popfleet.alerts.webhook-url", "http://127.0.0.1:" + port() + "/hook",
                    "popfleet.fleet.target-version", "0.2.9", "popfleet.alerts.down-polls", "2");
        }
    }

    static synchronized int port() {
        if (receiver == null) {
            try {
                receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            receiver.createContext("/hook", exchange -> {
                RECEIVED.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            // A receiver that drops the connection without answering: unreachable, as a crashed one is.
            receiver.createContext("/dead", exchange -> {
                DEAD_ATTEMPTS.incrementAndGet();
                exchange.close();
            });
            receiver.start();
        }
        return receiver.getAddress().getPort();
    }

    @BeforeAll
    static void startReceiver() {
        port();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.stop(0);
    }

    @Inject
    NodeService nodes;

    @Inject
    AlertService alerts;

    @Inject
    AlertWebhook webhook;

    private long a;
    private long b;

    @BeforeEach
    void twoNodes() {
        Inventory.clearWithRuns();
        RECEIVED.clear();
        a = nodes.create(aNode().named("alert-a").at("127.0.9.1", 22).build(), "test").id();
        b = nodes.create(aNode().named("alert-b").at("127.0.9.2", 22).build(), "test").id();
    }

    private static void sql(String statement) {
        QuarkusTransaction.requiringNew().run(() -> Run.getEntityManager().createNativeQuery(statement)
                .executeUpdate());
    }

    @Test
    void aNodeDownForNPollsOpensOneAlertThatResolvesWhenItComesBack() throws Exception {
        sql("insert into node_metric (node_id, at, state) values (" + a + ", now() - interval '10 minutes', 'down'),"
                + " (" + a + ", now() - interval '5 minutes', 'unreachable'), (" + b + ", now(), 'down')");

        AlertService.Changes first = alerts.evaluateAndNotify();
        assertThat(first.opened()).extracting(AlertView::nodeName, AlertView::rule)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("alert-a", "node_down"));
        assertThat(alerts.evaluateAndNotify().opened()).as("still firing: not opened twice").isEmpty();

        sql("insert into node_metric (node_id, at, state) values (" + a + ", now(), 'up')");
        AlertService.Changes back = alerts.evaluateAndNotify();
        assertThat(back.resolved()).extracting(AlertView::nodeName).containsExactly("alert-a");
        assertThat(alerts.open()).isEmpty();

        assertThat(RECEIVED).hasSize(2);
        assertThat(RECEIVED.get(0)).contains("\"schema\":\"popfleet.alert/v1\"", "\"event\":\"opened\"",
                "\"rule\":\"node_down\"", "alert-a");
        assertThat(RECEIVED.get(1)).contains("\"event\":\"resolved\"");
    }

    @Test
    void reputationDropStaleBackupAndVersionBehindEachFire() {
        sql("insert into node_metric (node_id, at, state, reputation) values (" + a
                + ", now() - interval '2 days', 'up', 0.93)");
        sql("insert into node_status (node_id, at, state, reputation, binary_version) values (" + a
                + ", now(), 'up', 0.71, '0.2.9'), (" + b + ", now(), 'up', 0.9, '0.2.8')");
        sql("insert into node_backup (node_id, observed_at, backup_count, newest_at, verified) values (" + b
                + ", now(), 1, now() - interval '30 days', true)");

        List<AlertView> opened = alerts.evaluateAndNotify().opened();

        assertThat(opened).extracting(AlertView::nodeName, AlertView::rule).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("alert-a", "reputation_drop"),
                org.assertj.core.groups.Tuple.tuple("alert-b", "backup_stale"),
                org.assertj.core.groups.Tuple.tuple("alert-b", "version_behind"));
        assertThat(opened).filteredOn(alert -> alert.rule().equals("reputation_drop")).singleElement()
                .satisfies(alert -> assertThat(alert.message()).contains("0.9300").contains("0.7100"));
        given().when().get("/api/v1/alerts").then().statusCode(200).body("size()", equalTo(3));
        given().when().get("/fleet").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("3 open alerts"))
                .body(org.hamcrest.Matchers.containsString("target version 0.2.9"));
        assertThat(RECEIVED).hasSize(3);
    }

    @Test
    void anUnreachableReceiverIsTriedOnceABatchAndEveryAlertSaysWhetherItWasSent() {
        sql("insert into node_metric (node_id, at, state) values (" + a + ", now() - interval '10 minutes', 'down'),"
                + " (" + a + ", now(), 'down'), (" + b + ", now() - interval '10 minutes', 'down'),"
                + " (" + b + ", now(), 'down')");
        List<AlertView> opened = alerts.evaluate().opened();
        assertThat(opened).hasSize(2);
        DEAD_ATTEMPTS.set(0);

        webhook.sendAll(opened.stream().map(alert -> new AlertWebhook.Notice("opened", alert)).toList(),
                "http://127.0.0.1:" + port() + "/dead");

        assertThat(DEAD_ATTEMPTS).hasValue(1);
        List<String> errors = QuarkusTransaction.requiringNew().call(() -> Run.getEntityManager()
                .createNativeQuery("select notify_error from alert where notified_at is not null order by id",
                        String.class).getResultList());
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0)).startsWith("webhook unreachable");
        assertThat(errors.get(1)).startsWith("not sent: webhook unreachable");
    }
}
