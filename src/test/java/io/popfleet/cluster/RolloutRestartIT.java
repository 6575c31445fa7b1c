package io.popfleet.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.popfleet.database.EmbeddedPostgres;
import io.popfleet.rollout.RolloutNodes;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.SshTestFleet;
import io.popfleet.testing.TestFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A rollout survives {@code kill -9} of its controller mid-batch: the packaged jar as its own process, on an embedded
 * PostgreSQL, over simulated nodes that keep their own log of the updates they received ({@link RolloutNodes}). The
 * controller is killed while a batch's updates are on the nodes, started again on the same database and data
 * directory, and the verdict comes from the nodes: every node updated exactly once, none skipped, the rollout done.
 *
 * <p>Run by failsafe in {@code ./mvnw verify}; skipped when the jar is absent (a run without packaging).
 */
class RolloutRestartIT {

    private static final int NODES = 30;
    private static final int BATCH = 10;
    /** Every command's time on a node: long enough that the kill lands while a batch's updates run. */
    private static final Duration WORK = Duration.ofMillis(1500);
    private static final String OLD = "0.2.7";
    private static final String NEW = "0.2.8";
    private static final String ADMIN = "admin";
    private static final Duration LIMIT = Duration.ofSeconds(90);

    private static Path jar;
    private static Path work;
    private static EmbeddedPostgres database;
    private static RolloutNodes nodes;
    private static SshTestFleet fleet;
    private static String masterKey;
    private static String adminPassword;

    private final List<ControllerProcess> controllers = new ArrayList<>();

    @BeforeAll
    static void startTheDatabaseAndTheFleet() throws IOException {
        jar = Path.of(System.getProperty("popfleet.it.jar", "target/quarkus-app/quarkus-run.jar"));
        assumeTrue(Files.isRegularFile(jar), jar + " is absent: run ./mvnw package (verify does) first");
        // its own directory: ControllerClusterIT deletes its database directory when it ends
        work = Files.createDirectories(Path.of(System.getProperty("popfleet.it.dir", "target/it-cluster"))
                .resolve("rollout-restart")).toAbsolutePath();
        TestFiles.deleteRecursively(work);
        database = EmbeddedPostgres.start(Files.createDirectories(work.resolve("pg")), false);
        nodes = new RolloutNodes(RolloutRestartIT::region, index -> WORK);
        nodes.reset(NODES, OLD);
        fleet = SshTestFleet.ofSize(NODES).commands(nodes).start();
        masterKey = ControllerProcess.newMasterKey();
        adminPassword = "rollout-it-" + Long.toHexString(new SecureRandom().nextLong());
    }

    @AfterAll
    static void stopTheDatabaseAndTheFleet() {
        if (fleet != null) {
            fleet.close();
        }
        if (nodes != null) {
            nodes.close();
        }
        if (database != null) {
            database.close();
            TestFiles.deleteRecursively(work.resolve("pg"));
        }
    }

    @AfterEach
    void stopTheControllers() {
        controllers.forEach(ControllerProcess::close);
    }

    /**
     * Three batches of ten; the controller dies while the second batch's updates are on the nodes. The updates it
     * was running are orphaned: the restarted controller does not run them again but reads those nodes (a health
     * check) and finds them on the new version; it finishes the batch and runs the third.
     */
    @Test
    void aControllerKilledMidBatchIsRestartedAndTheRolloutFinishesWithEveryNodeUpdatedExactlyOnce()
            throws Exception {
        ControllerProcess first = start();
        String token = ClusterApi.token(first, ClusterApi.login(first, first, ADMIN, adminPassword));
        registerFleet(first, token);
        String binary = "simulated pop " + NEW;
        JsonNode release = ClusterApi.post(first, token, "/api/v1/releases?version=" + NEW,
                "application/octet-stream", binary, 201);
        assertThat(release.path("sha256").asText()).isEqualTo(sha256(binary.getBytes(StandardCharsets.UTF_8)));
        nodes.knowRelease(release.path("sha256").asText(), NEW);

        Map<String, Object> strategy = new LinkedHashMap<>();
        strategy.put("order", "name");
        strategy.put("canary", "0");
        strategy.put("batches", Integer.toString(BATCH));
        strategy.put("maxPerRegion", 0);
        strategy.put("failureBudget", "0");
        strategy.put("healthyDeadlineSeconds", 30);
        Map<String, Object> request = new HashMap<>();
        request.put("version", NEW);
        request.put("names", IntStream.range(0, NODES).mapToObj(RolloutRestartIT::name).toList());
        request.put("strategy", strategy);
        JsonNode rollout = ClusterApi.post(first, token, "/api/v1/rollouts", "application/json",
                ClusterApi.json(request), 201);
        long id = rollout.path("id").asLong();
        assertThat(rollout.path("batches").asInt()).isEqualTo(NODES / BATCH);

        // Mid-batch: PostgreSQL has the whole second batch started (nothing of it left to start) and its updates
        // running under the first controller, and the nodes say that at least half of those are on them now.
        await("the second batch updating on the nodes").atMost(LIMIT).pollInterval(Duration.ofMillis(50))
                .until(() -> midBatch(id, first));
        first.killHard();
        // read before the lease runs out: nobody touches a dead executor's rows until the sweep takes them
        List<String> inFlight = updatesRunning(id, 1, first);
        Map<String, String> stepsAtKill = steps(id);
        ControllerProcess second = start();

        await("the rollout finished after the restart").atMost(LIMIT).pollInterval(Duration.ofMillis(250))
                .until(() -> finished(id));
        JsonNode done = ClusterApi.get(second, token, "/api/v1/rollouts/" + id);
        assertThat(done.path("state").asText()).as("%s\nnodes: %s", done, ClusterApi.get(second, token,
                "/api/v1/rollouts/" + id + "/nodes")).isEqualTo("finished");
        assertThat(done.path("failures").asInt()).isZero();

        assertThat(inFlight).as("updates on the nodes at the kill").isNotEmpty();
        assertThat(stepsAtKill).as("the third batch had not started at the kill")
                .allSatisfy((node, step) -> {
                    if (index(node) >= 2 * BATCH) {
                        assertThat(step).as(node).isEqualTo("pending");
                    }
                });
        Map<String, String> steps = steps(id);
        Map<String, List<Target>> updates = updateTargets(id);
        for (int i = 0; i < NODES; i++) {
            String node = name(i);
            assertThat(nodes.updates(i)).as("%s's own log", node).containsExactly("update");
            assertThat(nodes.version(i)).as(node).isEqualTo(NEW);
            assertThat(steps.get(node)).as(node).isEqualTo("healthy");
            assertThat(updates.get(node)).as("%s: one update target, never a second", node).hasSize(1);
            Target update = updates.get(node).get(0);
            if (inFlight.contains(node)) {
                assertThat(update.state()).as("%s's update, running at the kill", node).isEqualTo("orphaned");
                assertThat(update.executor()).startsWith(first.executorPrefix());
                assertThat(lastOperation(id, node)).as("%s read, not updated again", node).isEqualTo("health");
            } else {
                assertThat(update.state()).as(node).isEqualTo("ok");
            }
            if (i >= 2 * BATCH) {
                assertThat(update.executor()).as("%s updated by the restarted controller", node)
                        .startsWith(second.executorPrefix());
            }
        }
        assertThat(nodes.uploads()).as("the release shipped once per node").isEqualTo(NODES);
    }

    private ControllerProcess start() {
        // the same name: the same data directory, where the controller keeps its releases
        ControllerProcess controller = ControllerProcess.start("controller", jar, work, settings());
        controllers.add(controller);
        return controller;
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = ControllerProcess.clusterSettings(database, masterKey, ADMIN, adminPassword);
        settings.put("POPFLEET_RUNS_CONCURRENCY", Integer.toString(BATCH));
        settings.put("POPFLEET_RUNS_ORPHAN_AFTER_SECONDS", "3");
        settings.put("POPFLEET_ROLLOUT_TICK_INTERVAL", "1s");
        settings.put("POPFLEET_ROLLOUT_SHIP_LEASE_SECONDS", "5");
        return settings;
    }

    /** The fleet's key as a credential, the nodes (four regions) as an inventory file, their host keys pinned. */
    private static void registerFleet(ControllerProcess controller, String token) {
        ClusterApi.post(controller, token, "/api/v1/ssh/credentials/import", "application/json",
                ClusterApi.json(Map.of("name", "rollout-it", "privateKey", fleet.clientKeyOpenSsh(null))), 201);
        StringBuilder yaml = new StringBuilder("version: 1\ndefaults:\n  ssh_user: pop\n  credential: rollout-it\n"
                + "nodes:\n");
        for (FleetNode node : fleet.nodes()) {
            yaml.append("  - name: ").append(name(node.index())).append("\n    host: ").append(node.host())
                    .append("\n    port: ").append(node.port()).append("\n    region: ").append(region(node.index()))
                    .append('\n');
        }
        ClusterApi.post(controller, token, "/api/v1/inventory/import/apply?format=yaml&filename=fleet.yaml",
                "application/yaml", yaml.toString(), 200);
        ClusterApi.post(controller, token, "/api/v1/ssh/host-keys/import", "text/plain", fleet.knownHosts(), 200);
    }

    private static String name(int index) {
        return String.format("r%02d", index);
    }

    private static int index(String name) {
        return Integer.parseInt(name.substring(1));
    }

    private static String region(int index) {
        return "region-" + index % 4;
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // --- what the database says ---

    record Target(String state, String executor) {
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    /**
     * Whether the second batch is in flight on the nodes: none of its nodes waits to start, none of its update
     * targets is queued or claimed (so none can leave for a node between this check and the kill), every update
     * running has reached its node (the node logged it), and at least half the batch is still updating there.
     */
    private static boolean midBatch(long rollout, ControllerProcess controller) throws SQLException {
        List<String> waiting = strings("select rn.node_name from rollout_node rn left join run_target t on t.run_id"
                + " = rn.run_id and t.node_id = rn.node_id where rn.rollout_id = ? and rn.batch = 1 and (rn.state in"
                + " ('pending', 'shipping', 'shipped') or t.state in ('queued', 'claimed'))", rollout);
        if (!waiting.isEmpty()) {
            return false;
        }
        List<String> running = updatesRunning(rollout, 1, controller);
        boolean allReached = running.stream().allMatch(node -> nodes.updates(index(node)).contains("update"));
        long onTheNodes = running.stream().filter(node -> nodes.version(index(node)).equals(OLD)).count();
        return allReached && onTheNodes >= BATCH / 2;
    }

    /** The nodes of {@code batch} whose update target runs under {@code controller}. */
    private static List<String> updatesRunning(long rollout, int batch, ControllerProcess controller)
            throws SQLException {
        return strings("select rn.node_name from rollout_node rn join run_target t on t.run_id = rn.run_id"
                + " and t.node_id = rn.node_id where rn.rollout_id = ? and rn.batch = " + batch + " and rn.state ="
                + " 'updating' and t.state = 'running' and t.executor like '" + controller.executorPrefix() + "%'",
                rollout);
    }

    private static Map<String, String> steps(long rollout) throws SQLException {
        Map<String, String> steps = new HashMap<>();
        for (String row : strings("select node_name || '=' || state from rollout_node where rollout_id = ?",
                rollout)) {
            steps.put(row.substring(0, row.indexOf('=')), row.substring(row.indexOf('=') + 1));
        }
        return steps;
    }

    private static boolean finished(long rollout) throws SQLException {
        return !strings("select id::text from rollout where id = ? and finished_at is not null", rollout).isEmpty();
    }

    /** Every update target the rollout's runs gave each node. */
    private static Map<String, List<Target>> updateTargets(long rollout) throws SQLException {
        Map<String, List<Target>> targets = new HashMap<>();
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement("select t.node_name, t.state,"
                + " t.executor from run_target t join run r on r.id = t.run_id where r.operation = 'update'"
                + " and r.started_by = ?")) {
            query.setString(1, "rollout-" + rollout);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    targets.computeIfAbsent(rows.getString(1), key -> new ArrayList<>())
                            .add(new Target(rows.getString(2), rows.getString(3)));
                }
            }
        }
        return targets;
    }

    /** The operation of the last run the rollout gave the node. */
    private static String lastOperation(long rollout, String node) throws SQLException {
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement("select r.operation from"
                + " rollout_node rn join run r on r.id = rn.run_id where rn.rollout_id = ? and rn.node_name = ?")) {
            query.setLong(1, rollout);
            query.setString(2, node);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static List<String> strings(String sql, long rollout) throws SQLException {
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement(sql)) {
            query.setLong(1, rollout);
            List<String> values = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }
}
