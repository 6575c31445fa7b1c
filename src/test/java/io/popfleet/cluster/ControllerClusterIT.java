package io.popfleet.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import com.fasterxml.jackson.databind.JsonNode;

import io.popfleet.database.EmbeddedPostgres;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.RecordingNodes;
import io.popfleet.testing.SshTestFleet;
import io.popfleet.testing.TestFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Several controllers on one PostgreSQL, as separate processes started from the packaged jar, over a fleet of
 * 1,000 simulated nodes that keep their own execution logs. A controller is killed with SIGKILL mid-run, or the
 * database restarted mid-run, and the outcome is read from both sides: the targets in the database, and what each
 * node says it ran.
 *
 * <p>Run by failsafe in {@code ./mvnw verify}, after {@code package} built {@code target/quarkus-app}; skipped when
 * the jar is absent (a run from an IDE without packaging).
 */
class ControllerClusterIT {

    private static final int NODES = 1_000;
    /** How long each operation takes on a node: long enough that a run spans seconds and a kill lands mid-run. */
    private static final Duration WORK = Duration.ofMillis(300);
    private static final int CONCURRENCY = 16;
    private static final int ORPHAN_AFTER_SECONDS = 4;
    private static final String CREDENTIAL = "cluster-it";
    private static final String ADMIN = "admin";
    private static final Duration RUN_LIMIT = Duration.ofMinutes(3);

    private static Path jar;
    private static Path work;
    private static EmbeddedPostgres database;
    private static RecordingNodes nodes;
    private static SshTestFleet fleet;
    private static String masterKey;
    private static String adminPassword;
    private static String token;

    private final List<ControllerProcess> controllers = new ArrayList<>();
    private Path testDir;

    @BeforeAll
    static void startTheDatabaseAndTheFleet() throws IOException {
        jar = Path.of(System.getProperty("popfleet.it.jar", "target/quarkus-app/quarkus-run.jar"));
        assumeTrue(Files.isRegularFile(jar), jar + " is absent: run ./mvnw package (verify does) first");
        work = Files.createDirectories(Path.of(System.getProperty("popfleet.it.dir", "target/it-cluster")))
                .toAbsolutePath();
        TestFiles.deleteRecursively(work.resolve("pg"));
        database = EmbeddedPostgres.start(Files.createDirectories(work.resolve("pg")), false);
        nodes = new RecordingNodes(WORK);
        fleet = SshTestFleet.ofSize(NODES).commands(nodes).start();
        masterKey = ControllerProcess.newMasterKey();
        adminPassword = "cluster-it-" + Long.toHexString(new SecureRandom().nextLong());
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

    @BeforeEach
    void freshLogs(TestInfo test) throws IOException {
        nodes.clearLogs();
        // Controllers append to their logs (a restart keeps its history): an earlier build's logs must not be read
        // as this run's.
        testDir = work.resolve(test.getTestMethod().orElseThrow().getName());
        TestFiles.deleteRecursively(testDir);
        Files.createDirectories(testDir);
    }

    @AfterEach
    void stopTheControllers() {
        controllers.forEach(ControllerProcess::close);
        for (int i = 0; i < NODES; i++) {
            fleet.clear(i, Fault.DROP_MID_COMMAND);
        }
    }

    @Test
    void twoControllersSplitAMutatingRunOneIsKilledAndNoNodeRunsItTwice() throws Exception {
        List<ControllerProcess> started = start("a", "b");
        ControllerProcess a = started.get(0);
        ControllerProcess b = started.get(1);
        String cookie = ensureInventory(a, b);
        List<Integer> dropping = List.of(7, 250, 501, 777, 999);
        dropping.forEach(index -> fleet.inject(index, Fault.DROP_MID_COMMAND));

        long run = startRun(a, "stop");
        // the live view of a run started on a, followed from b, whose browser session came from a's login
        Future<List<JsonNode>> live = CompletableFuture.supplyAsync(() -> ClusterApi.followEvents(b, cookie, run,
                RUN_LIMIT));
        assertThat(ClusterApi.status(b, cookie, "/runs/" + run)).as("the run page on b").isEqualTo(200);
        List<Long> heldAtDeath = killMidRun(a, run);

        Map<String, Target> targets = awaitFinished(run);
        assertNoDoubleAndNoLostMutation(targets, "stop", a, heldAtDeath, dropping);
        assertThat(executedBy(targets, b)).as("b carried the rest of the run").isGreaterThan(0);
        assertLiveViewMatches(live.get(30, TimeUnit.SECONDS), targets);
    }

    @Test
    void threeControllersSplitAMutatingRunOneIsKilledAndTheOthersFinishIt() throws Exception {
        List<ControllerProcess> started = start("a", "b", "c");
        ControllerProcess a = started.get(0);
        ControllerProcess b = started.get(1);
        ControllerProcess c = started.get(2);
        String cookie = ensureInventory(a, b);

        long run = startRun(a, "stop");
        Future<List<JsonNode>> live = CompletableFuture.supplyAsync(() -> ClusterApi.followEvents(b, cookie, run,
                RUN_LIMIT));
        List<Long> heldAtDeath = killMidRun(c, run);

        Map<String, Target> targets = awaitFinished(run);
        assertNoDoubleAndNoLostMutation(targets, "stop", c, heldAtDeath, List.of());
        assertThat(executedBy(targets, a)).as("a took part").isGreaterThan(0);
        assertThat(executedBy(targets, b)).as("b took part").isGreaterThan(0);
        assertLiveViewMatches(live.get(30, TimeUnit.SECONDS), targets);
        JsonNode view = ClusterApi.get(a, token, "/api/v1/runs/" + run);
        assertThat(view.path("state").asText()).isEqualTo("finished");
    }

    @Test
    void postgresRestartedMidRunTheControllersReconnectAndTheReadRunFinishes() throws Exception {
        List<ControllerProcess> started = start("a", "b");
        ControllerProcess a = started.get(0);
        ensureInventory(a, started.get(1));

        long run = startRun(a, "health");
        await("a quarter of the run done").atMost(RUN_LIMIT).ignoreExceptions()
                .until(() -> done(run) >= NODES / 4);
        database.restart();

        Map<String, Target> targets = awaitFinished(run);
        assertThat(targets).hasSize(NODES);
        // A target whose start or result met the restart is failed as internal (never left running); only the
        // targets the two controllers held at that moment can be such.
        List<Target> unstored = targets.values().stream().filter(target -> !target.state().equals("ok")).toList();
        assertThat(unstored).allSatisfy(target -> {
            assertThat(target.state()).isEqualTo("failed");
            assertThat(target.failureKind()).isEqualTo("internal");
        });
        assertThat(unstored.size()).isLessThanOrEqualTo(2 * CONCURRENCY);
        for (Target target : targets.values()) {
            long ran = nodes.count(index(target.node()), "health");
            long atLeast = target.state().equals("ok") ? 1 : 0;
            assertThat(ran).as("%s ran health %d time(s) for %d claim(s)", target.node(), ran, target.attempts())
                    .isBetween(atLeast, (long) target.attempts());
        }
        // both controllers still answer and still reach the database
        for (ControllerProcess controller : started) {
            assertThat(ClusterApi.get(controller, token, "/api/v1/runs/" + run).path("state").asText())
                    .isEqualTo("finished");
        }
        if (!unstored.isEmpty()) {
            long retry = ClusterApi.post(started.get(1), token, "/api/v1/runs/" + run + "/retry", "application/json",
                    "", 201).path("id").asLong();
            assertThat(awaitFinished(retry).values()).hasSize(unstored.size())
                    .allSatisfy(target -> assertThat(target.state()).isEqualTo("ok"));
        }
        long again = startRun(started.get(1), "health");
        assertThat(awaitFinished(again).values()).allSatisfy(target -> assertThat(target.state()).isEqualTo("ok"));
    }

    /**
     * A controller that cannot bind its port says so in one line naming the setting, exits, and never claims to be
     * ready (it once logged "ready" before the HTTP server bound). The other side, "ready" only once the port
     * answers, is checked at every start in this class ({@link ControllerProcess#start}).
     */
    @Test
    void aControllerWhosePortIsTakenSaysSoInOneLineAndNeverThatItIsReady() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ControllerProcess controller = ControllerProcess.launch("taken", jar, testDir, settings(), port);
            controllers.add(controller);

            assertThat(controller.awaitExit(Duration.ofMinutes(3))).as("exit status").isNotZero();
            String output = controller.output();
            assertThat(output).contains("popfleet: port " + port + " on 127.0.0.1 is taken by another program")
                    .contains("quarkus.http.port").doesNotContain("PoP Fleet is ready");
            assertThat(output).as("no stack trace for an operator's mistake").doesNotContainPattern("(?m)^\\s+at ");
        }
    }

    // --- the cluster ---

    /** Starts the controllers together, as replicas of a deployment start. */
    private List<ControllerProcess> start(String... names) throws Exception {
        Map<String, String> settings = settings();
        ExecutorService starting = Executors.newFixedThreadPool(names.length);
        try {
            List<Future<ControllerProcess>> futures = new ArrayList<>();
            for (String name : names) {
                futures.add(starting.submit(() -> ControllerProcess.start(name, jar, testDir, settings)));
            }
            List<ControllerProcess> started = new ArrayList<>();
            for (Future<ControllerProcess> future : futures) {
                ControllerProcess controller = future.get(5, TimeUnit.MINUTES);
                controllers.add(controller);
                started.add(controller);
            }
            return started;
        } finally {
            starting.shutdownNow();
        }
    }

    /** The cluster's settings: one database, one master key, one first admin. */
    private static Map<String, String> settings() {
        Map<String, String> settings = ControllerProcess.clusterSettings(database, masterKey, ADMIN, adminPassword);
        settings.put("QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "12");
        settings.put("POPFLEET_RUNS_CONCURRENCY", Integer.toString(CONCURRENCY));
        settings.put("POPFLEET_RUNS_ORPHAN_AFTER_SECONDS", Integer.toString(ORPHAN_AFTER_SECONDS));
        return settings;
    }

    /**
     * Logs in on {@code controller} with the form another instance served; the first time, also puts the fleet into the inventory through the API: the
     * fleet's key as a credential, the 1,000 nodes as an inventory file, their host keys as known_hosts.
     *
     * @return the console session cookie
     */
    private static String ensureInventory(ControllerProcess controller, ControllerProcess loginPageFrom) {
        String cookie = ClusterApi.login(loginPageFrom, controller, ADMIN, adminPassword);
        if (token != null) {
            return cookie;
        }
        token = ClusterApi.token(controller, cookie);
        ClusterApi.post(controller, token, "/api/v1/ssh/credentials/import", "application/json",
                ClusterApi.json(Map.of("name", CREDENTIAL, "privateKey", fleet.clientKeyOpenSsh(null))), 201);
        StringBuilder yaml = new StringBuilder("version: 1\ndefaults:\n  ssh_user: pop\n  credential: " + CREDENTIAL
                + "\nnodes:\n");
        for (FleetNode node : fleet.nodes()) {
            yaml.append("  - name: ").append(name(node.index())).append("\n    host: ").append(node.host())
                    .append("\n    port: ").append(node.port()).append('\n');
        }
        ClusterApi.post(controller, token, "/api/v1/inventory/import/apply?format=yaml&filename=fleet.yaml",
                "application/yaml", yaml.toString(), 200);
        JsonNode pinned = ClusterApi.post(controller, token, "/api/v1/ssh/host-keys/import", "text/plain",
                fleet.knownHosts(), 200);
        assertThat(pinned.path("pinned").asInt()).isEqualTo(NODES);
        return cookie;
    }

    private static long startRun(ControllerProcess controller, String operation) {
        JsonNode run = ClusterApi.post(controller, token, "/api/v1/runs", "application/json",
                ClusterApi.json(ClusterApi.runRequest(operation, NODES)), 201);
        assertThat(run.path("total").asInt()).isEqualTo(NODES);
        return run.path("id").asLong();
    }

    /**
     * Waits until {@code victim} is working on targets of the run, a fifth of it done, then kills it with SIGKILL.
     *
     * @return the targets it held when it died (claimed or running under its name)
     */
    private List<Long> killMidRun(ControllerProcess victim, long run) throws SQLException {
        await(victim.name() + " mid-run").atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(50))
                .until(() -> done(run) >= NODES / 5 && held(run, victim).size() >= CONCURRENCY / 2);
        victim.killHard();
        // Read before the lease runs out: nobody touches a dead executor's rows until the sweep takes them.
        return held(run, victim);
    }

    private static String name(int index) {
        return String.format("n%04d", index);
    }

    private static int index(String name) {
        return Integer.parseInt(name.substring(1));
    }

    // --- what the database says ---

    /** One target's end, as the database has it. */
    record Target(long id, String node, String state, String failureKind, int attempts, String executor) {
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    }

    private static int done(long run) throws SQLException {
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement(
                "select count(*) from run_target where run_id = ? and state in ('ok', 'failed')")) {
            query.setLong(1, run);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    private static List<Long> held(long run, ControllerProcess controller) throws SQLException {
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement("select id from run_target"
                + " where run_id = ? and state in ('claimed', 'running') and executor like ?")) {
            query.setLong(1, run);
            query.setString(2, controller.executorPrefix() + "%");
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            return ids;
        }
    }

    private static Map<String, Target> awaitFinished(long run) {
        await("run " + run + " finished").atMost(RUN_LIMIT).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> runState(run).equals("finished"));
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement("select id, node_name, state,"
                + " failure_kind, attempts, executor from run_target where run_id = ?")) {
            query.setLong(1, run);
            Map<String, Target> targets = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Target target = new Target(rows.getLong(1), rows.getString(2), rows.getString(3),
                            rows.getString(4), rows.getInt(5), rows.getString(6));
                    targets.put(target.node(), target);
                }
            }
            return targets;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String runState(long run) throws SQLException {
        try (Connection db = connect(); PreparedStatement query = db.prepareStatement(
                "select state from run where id = ?")) {
            query.setLong(1, run);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    private static long executedBy(Map<String, Target> targets, ControllerProcess controller) {
        return targets.values().stream().filter(t -> t.state().equals("ok") && t.executor() != null
                && t.executor().startsWith(controller.executorPrefix())).count();
    }

    // --- the verdict ---

    /**
     * Zero double executions and zero lost targets, from the nodes' own logs: every node ran the mutation at most
     * once; every node whose target ended ok or failed ran it exactly once; a node that never ran it belongs to a
     * target the dead controller held; only targets it held may be left orphaned, for an operator.
     */
    private static void assertNoDoubleAndNoLostMutation(Map<String, Target> targets, String operation,
            ControllerProcess victim, List<Long> heldAtDeath, List<Integer> dropping) {
        assertThat(targets).hasSize(NODES);
        assertThat(heldAtDeath).as("%s held targets when it was killed", victim.name()).isNotEmpty();
        assertThat(executedBy(targets, victim)).as("%s had done part of the run", victim.name()).isGreaterThan(0);
        int orphaned = 0;
        for (Target target : targets.values()) {
            int index = index(target.node());
            long ran = nodes.count(index, operation);
            assertThat(ran).as("%s ran %s %d times", target.node(), operation, ran).isLessThanOrEqualTo(1);
            switch (target.state()) {
                case "ok" -> assertThat(ran).as("%s ok", target.node()).isEqualTo(1);
                case "failed" -> {
                    assertThat(dropping).as("only the nodes that dropped the connection fail").contains(index);
                    assertThat(target.failureKind()).isEqualTo("unreachable");
                    assertThat(target.attempts()).as("a mutation is not retried").isEqualTo(1);
                    assertThat(ran).isEqualTo(1);
                }
                case "orphaned" -> {
                    orphaned++;
                    assertThat(heldAtDeath).as("%s orphaned but not held by %s", target.node(), victim.name())
                            .contains(target.id());
                    assertThat(target.executor()).startsWith(victim.executorPrefix());
                    assertThat(target.failureKind()).isEqualTo("orphaned");
                }
                default -> throw new AssertionError(target + " ended in " + target.state());
            }
        }
        for (int index : dropping) {
            assertThat(targets.get(name(index)).state()).as("%s dropped mid-command", name(index))
                    .isIn("failed", "orphaned");
        }
        assertThat(orphaned).as("what the dead controller was running waits for an operator")
                .isGreaterThan(0).isLessThanOrEqualTo(heldAtDeath.size());
    }

    /** The live view followed on another instance saw every target end as the database has it, then the run end. */
    private static void assertLiveViewMatches(List<JsonNode> events, Map<String, Target> targets) {
        Map<Long, String> lastState = new HashMap<>();
        JsonNode lastRun = null;
        for (JsonNode event : events) {
            if (event.path("type").asText().equals("target")) {
                lastState.put(event.path("targetId").asLong(), event.path("state").asText());
            } else if (event.path("type").asText().equals("run")) {
                lastRun = event;
            }
        }
        assertThat(lastRun).as("a run event closes the stream").isNotNull();
        assertThat(lastRun.path("runState").asText()).isEqualTo("finished");
        assertThat(lastRun.path("total").asInt()).isEqualTo(NODES);
        Map<String, Integer> counts = new HashMap<>();
        targets.values().forEach(target -> counts.merge(target.state(), 1, Integer::sum));
        JsonNode finalCounts = lastRun.path("counts");
        counts.forEach((state, n) -> assertThat(finalCounts.path(state).asInt()).as(state).isEqualTo(n));
        for (Target target : targets.values()) {
            assertThat(lastState.get(target.id())).as("last event of %s", target.node()).isEqualTo(target.state());
        }
    }
}
