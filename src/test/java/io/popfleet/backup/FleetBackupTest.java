package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.http.ContentType;

import io.popfleet.alerts.AlertService;
import io.popfleet.alerts.AlertView;
import io.popfleet.api.ConflictProblem;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunService;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SimulatedNodes;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.testing.NodeBuilder.aNode;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * Fleet backups against simulated nodes running the real node tool over SSH: a backup run's archives are pulled,
 * checked and stored encrypted; a transfer cut midway, a wrong checksum and a wallet keypair store nothing.
 */
@QuarkusTest
class FleetBackupTest {

    private static final String CREDENTIAL = "FleetBackupTest";
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(4);

    @Inject
    FleetRegistration registration;

    @Inject
    BackupService backups;

    @Inject
    BackupPulls pulls;

    @Inject
    BackupKeys keys;

    @Inject
    BackupStore store;

    @Inject
    RunService runs;

    @Inject
    BackupVerifier verifier;

    @Inject
    BackupRestore restore;

    @Inject
    BackupRetention retention;

    @Inject
    AlertService alerts;

    @Inject
    EntityManager em;

    @Inject
    BackupScheduler scheduler;

    @Inject
    ScratchRestore scratch;

    @Inject
    BackupPolicies policies;

    @Inject
    NodeProbe probe;

    @Inject
    io.popfleet.inventory.NodeService nodes;

    private List<Long> ids;

    @BeforeEach
    void fleet() {
        Inventory.clearWithRuns();
        ids = registration.register(FLEET, CREDENTIAL, 300, node -> node.index() == 0
                ? aNode().named("bk-" + node.index()).inGroup("bk-policy") : aNode().named("bk-" + node.index()));
    }

    @Test
    void aFleetBackupStoresEveryArchiveEncryptedWithTheNodesChecksumAndIdentity() throws Exception {
        // a wallet keypair where a community script would have copied it from: ours must never take it
        Path solana = Files.createDirectories(FLEET.node(0).home().resolve(".config/solana"));
        Files.writeString(solana.resolve("id.json"), keypair());

        Run run = backups.backupNow(NodeSelection.named(names()), "test");
        RunWaits.finished(runs, run.id);
        awaitPulls(FLEET.size());

        for (int i = 0; i < FLEET.size(); i++) {
            FleetNode node = FLEET.node(i);
            List<StoredArchive> stored = backups.list(Optional.of(ids.get(i)), 10);
            assertThat(stored).as("node %d", i).hasSize(1);
            StoredArchive archive = stored.get(0);
            byte[] onNode = Files.readAllBytes(node.home().resolve("var/backups/pop").resolve(archive.archiveName()));
            assertThat(archive.sha256()).isEqualTo(ArchiveInspector.sha256(onNode));
            assertThat(archive.sizeBytes()).isEqualTo(onNode.length);
            assertThat(archive.identityFingerprint()).isEqualTo(ArchiveInspector.sha256(
                    Files.readAllBytes(node.home().resolve("var/lib/pop/node_info.json"))));
            assertThat(archive.registeredIp()).isNotBlank();
            assertThat(archive.keyId()).isEqualTo(keys.activeId());
            assertThat(archive.verifyOk()).isTrue();
            // at rest the store holds no byte sequence of the plaintext archive's gzip header onwards
            try (InputStream sealed = store.open(archive.sha256()).orElseThrow()) {
                byte[] atRest = sealed.readAllBytes();
                assertThat(new String(atRest, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PFB1");
                assertThat(indexOf(atRest, java.util.Arrays.copyOf(onNode, 64))).isEqualTo(-1);
            }
            try (InputStream plain = backups.open(archive.id())) {
                assertThat(plain.readAllBytes()).isEqualTo(onNode);
            }
            try (InputStream plain = backups.open(archive.id())) {
                assertThat(ArchiveInspector.inspect(plain).files()).contains(ArchiveInspector.IDENTITY)
                        .noneMatch(name -> name.contains("solana") || name.endsWith("id.json"));
            }
        }
    }

    @Test
    void aTransferDroppedMidStreamRecordsNothingAndTheNextPullStoresIt() throws Exception {
        FleetNode node = FLEET.node(1);
        JsonNode made = backupOnNode(node);
        FLEET.inject(1, Fault.DROP_MID_STREAM);
        long first = queuePull(ids.get(1), made);
        pulls.pullPending();
        String failure = awaitFinished(first);
        assertThat(failure).contains("transfer failed (unreachable)");
        assertThat(backups.list(Optional.of(ids.get(1)), 10)).isEmpty();
        assertThat(store.exists(made.at("/sha256").asText())).isFalse();
        assertThat(incoming()).isEmpty();

        FLEET.clear(1, Fault.DROP_MID_STREAM);
        long second = queuePull(ids.get(1), made);
        pulls.pullPending();
        assertThat(awaitFinished(second)).isNull();
        assertThat(backups.list(Optional.of(ids.get(1)), 10)).singleElement()
                .satisfies(a -> assertThat(a.sha256()).isEqualTo(made.at("/sha256").asText()));
    }

    @Test
    void aStoredFileWithoutARowIsStoredAgainAndOpensUnderItsNewRow() throws Exception {
        JsonNode made = backupOnNode(FLEET.node(1));
        long first = queuePull(ids.get(1), made);
        pulls.pullPending();
        assertThat(awaitFinished(first)).isNull();
        String sha = made.at("/sha256").asText();
        // the row goes (a database restored from before the pull), the sealed file stays
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from backup_archive where sha256 ="
                + " :sha").setParameter("sha", sha).executeUpdate());
        assertThat(store.exists(sha)).isTrue();

        long second = queuePull(ids.get(1), made);
        pulls.pullPending();
        assertThat(awaitFinished(second)).isNull();
        StoredArchive again = backups.list(Optional.of(ids.get(1)), 10).get(0);
        assertThat(again.sha256()).isEqualTo(sha);
        try (InputStream plain = backups.open(again.id())) {
            assertThat(ArchiveInspector.sha256(plain.readAllBytes())).isEqualTo(sha);
        }
    }

    @Test
    void anArchiveWhoseChecksumDiffersFromTheNodesAnswerIsNotStored() throws Exception {
        JsonNode made = backupOnNode(FLEET.node(2));
        ((com.fasterxml.jackson.databind.node.ObjectNode) made).put("sha256", "0".repeat(64));
        long pull = queuePull(ids.get(2), made);
        pulls.pullPending();
        assertThat(awaitFinished(pull)).contains("the node reported " + "0".repeat(64));
        assertThat(backups.list(Optional.of(ids.get(2)), 10)).isEmpty();
    }

    @Test
    void anArchiveHoldingAWalletKeypairIsRefusedAndAudited() throws Exception {
        FleetNode node = FLEET.node(3);
        JsonNode made = backupOnNode(node);
        // What a careless script's archive looks like: the tool's files plus the wallet's keypair, manifest and all.
        Path dir = node.home().resolve("var/backups/pop");
        Path work = Files.createTempDirectory("wallet-archive");
        run(work, "tar", "-xzf", dir.resolve(made.at("/archive").asText()).toString());
        Files.createDirectories(work.resolve(".config/solana"));
        Files.writeString(work.resolve(".config/solana/id.json"), keypair());
        run(work, "bash", "-c", "sha256sum .config/solana/id.json >> MANIFEST.sha256");
        String name = made.at("/archive").asText().replace(".tar.gz", "9.tar.gz");
        run(work, "tar", "-czf", dir.resolve(name).toString(), "MANIFEST.sha256", "identity/node_info.json",
                "meta.txt", "wallet.txt", ".config/solana/id.json");
        byte[] archive = Files.readAllBytes(dir.resolve(name));
        com.fasterxml.jackson.databind.node.ObjectNode wallet = ((com.fasterxml.jackson.databind.node.ObjectNode) made)
                .put("archive", name).put("path", "/var/backups/pop/" + name)
                .put("sha256", ArchiveInspector.sha256(archive)).put("size_bytes", archive.length);

        long pull = queuePull(ids.get(3), wallet);
        pulls.pullPending();
        assertThat(awaitFinished(pull)).contains("wallet keypair");
        assertThat(backups.list(Optional.of(ids.get(3)), 10)).isEmpty();
        assertThat(store.exists(ArchiveInspector.sha256(archive))).isFalse();
        long audited = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from audit_event where action = 'backup.refused' and outcome = 'refused'"
                        + " and target = :name").setParameter("name", name).getSingleResult()).longValue());
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void keyRotationRewrapsEveryArchiveWithoutRewritingAnyStoredFile() throws Exception {
        List<StoredArchive> stored = pullFromEveryNode();
        Map<String, byte[]> atRest = new HashMap<>();
        for (StoredArchive archive : stored) {
            atRest.put(archive.sha256(), Files.readAllBytes(file(archive)));
        }
        String before = keys.activeId();

        assertThat(keys.rotate("test")).isEqualTo(stored.size());

        String after = keys.activeId();
        assertThat(after).isNotEqualTo(before);
        for (StoredArchive archive : backups.list(Optional.empty(), 100)) {
            assertThat(archive.keyId()).isEqualTo(after);
            try (InputStream plain = backups.open(archive.id())) {
                assertThat(ArchiveInspector.sha256(plain.readAllBytes())).isEqualTo(archive.sha256());
            }
            assertThat(Files.readAllBytes(file(archive))).isEqualTo(atRest.get(archive.sha256()));
        }
        long audited = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from audit_event where action = 'backup.key.rotate' and target = :key")
                .setParameter("key", after).getSingleResult()).longValue());
        assertThat(audited).isEqualTo(1);
    }

    @Test
    void verifyFindsACorruptedStoredArchiveAndItsNodeIsAlerted() throws Exception {
        List<StoredArchive> stored = pullFromEveryNode();
        StoredArchive corrupted = stored.get(0);
        Path file = file(corrupted);
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x01;
        Files.write(file, bytes);

        BackupVerifier.Report report = verifier.verifyAll("test");

        assertThat(report.checked()).isEqualTo(stored.size());
        assertThat(report.failed()).isEqualTo(1);
        assertThat(backups.find(corrupted.id()).orElseThrow()).satisfies(a -> {
            assertThat(a.verifyOk()).isFalse();
            assertThat(a.verifyFailure()).contains("does not open");
        });
        assertThat(backups.list(Optional.empty(), 100)).filteredOn(a -> a.id() != corrupted.id())
                .allSatisfy(a -> assertThat(a.verifyOk()).isTrue());
        assertThat(alerts.evaluateAndNotify().opened()).extracting(AlertView::nodeName, AlertView::rule)
                .contains(org.assertj.core.groups.Tuple.tuple(corrupted.nodeName(), "backup_corrupt"));
        // the pass also restored a sample of the good ones into a scratch node, identity and all
        assertThat(report.testRestored()).isPositive();
        assertThat(report.testRestoreFailed()).isZero();
        long tested = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("select count(*)"
                + " from backup_archive where test_restore_ok").getSingleResult()).longValue());
        assertThat(tested).isEqualTo(report.testRestored());
    }

    @Test
    void aBackupThatDoesNotRestoreItsRecordedIdentityFailsTheTestRestoreAndIsAlerted() throws Exception {
        List<StoredArchive> stored = pullFromEveryNode();
        StoredArchive wrong = stored.get(1);
        // the copy opens and hashes fine, but what it restores is not the identity recorded at the pull
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_archive set"
                + " identity_fingerprint = :fp where id = :id").setParameter("fp", "0".repeat(64))
                .setParameter("id", wrong.id()).executeUpdate());
        // two in the sample (each restore takes a moment): the wrong one and a good one
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from backup_archive where id not in"
                + " (:wrong, :good)").setParameter("wrong", wrong.id()).setParameter("good", stored.get(0).id())
                .executeUpdate());

        ScratchRestore.Sample sample = scratch.sample(5);

        assertThat(sample.restored()).isEqualTo(2);
        assertThat(sample.failed()).isEqualTo(1);
        assertThat(backups.find(wrong.id()).orElseThrow()).satisfies(a -> {
            assertThat(a.verifyOk()).isFalse();
            assertThat(a.verifyFailure()).contains("test restore gave identity").contains("0".repeat(64));
        });
        assertThat(backups.find(stored.get(0).id()).orElseThrow().verifyOk()).isTrue();
        assertThat(alerts.evaluateAndNotify().opened()).extracting(AlertView::nodeName, AlertView::rule)
                .contains(org.assertj.core.groups.Tuple.tuple(wrong.nodeName(), "backup_corrupt"));
        try (var left = Files.list(Path.of(store.describe(), "scratch"))) {
            assertThat(left.toList()).as("the scratch node is deleted").isEmpty();
        }
    }

    @Test
    void retentionOverSixtyDaysOfFakeTimeKeepsExactlyWhatTheGroupPolicySays() {
        long node = ids.get(0);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into backup_policy (group_id,"
                + " keep_last, keep_daily, keep_weekly) select id, 3, 7, 4 from node_group where name = 'bk-policy'")
                .executeUpdate());
        Instant day0 = Instant.parse("2026-09-07T00:00:00Z");
        for (int day = 0; day < 60; day++) {
            for (int hour : new int[] {6, 18}) {
                fakeArchive(node, day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(hour)), true);
            }
            retention.apply(day0.plus(Duration.ofDays(day)).plus(Duration.ofHours(23)), "test");
        }
        // as RetentionPolicyTest works out: the last 3, the newest of days 53-59, of ISO weeks 42-45
        Set<String> expected = Set.of("59@18", "59@6", "58@18", "57@18", "56@18", "55@18", "54@18", "53@18",
                "48@18", "41@18");
        assertThat(backups.list(Optional.of(node), 1000).stream().map(a -> {
            Duration since = Duration.between(day0, a.madeAt());
            return since.toDays() + "@" + since.minusDays(since.toDays()).toHours();
        }).collect(Collectors.toSet())).isEqualTo(expected);
        long audited = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from audit_event where action = 'backup.retention'").getSingleResult()).longValue());
        assertThat(audited).isPositive();
    }

    @Test
    void deletingTheLastGoodBackupOfANodeIsRefusedAndAudited() {
        long node = ids.get(1);
        long bad = fakeArchive(node, Instant.parse("2026-11-29T06:00:00Z"), false);
        long good = fakeArchive(node, Instant.parse("2026-11-28T06:00:00Z"), true);

        assertThatThrownBy(() -> retention.delete(good, "test")).isInstanceOf(ConflictProblem.class)
                .hasMessageContaining("last good backup of bk-1");
        retention.delete(bad, "test");

        assertThat(backups.list(Optional.of(node), 10)).extracting(StoredArchive::id).containsExactly(good);
        long refused = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from audit_event where action = 'backup.delete' and outcome = 'refused'")
                .getSingleResult()).longValue());
        assertThat(refused).isEqualTo(1);
    }

    @Test
    void aRestoreIsPreviewedConfirmedCheckedAndReturnsTheLostIdentityByteIdentical() throws Exception {
        FleetNode node = FLEET.node(2);
        Path identity = node.home().resolve("var/lib/pop/node_info.json");
        byte[] original = Files.readAllBytes(identity);
        JsonNode made = backupOnNode(node);
        long pull = queuePull(ids.get(2), made);
        pulls.pullPending();
        assertThat(awaitFinished(pull)).isNull();
        StoredArchive stored = backups.list(Optional.of(ids.get(2)), 1).get(0);
        RestorePreview whole = restore.preview(stored.id());
        assertThat(whole.current().fingerprint()).isEqualTo(stored.identityFingerprint());
        assertThat(whole.sameIdentity()).isTrue();
        // the disk "dies": identity and the node's own copy gone
        Files.delete(identity);
        Files.delete(node.home().resolve("var/backups/pop").resolve(made.at("/archive").asText()));

        RestorePreview preview = restore.preview(stored.id());
        assertThat(preview.current().reachable()).isTrue();
        assertThat(preview.current().fingerprint()).isNull();
        assertThat(preview.backupFingerprint()).isEqualTo(ArchiveInspector.sha256(original));
        assertThat(preview.replaces()).contains(ArchiveInspector.IDENTITY);
        assertThat(preview.warnings()).anyMatch(w -> w.contains("has no identity now"));
        // the preview taken while the identity was there no longer confirms anything, and none is no confirmation
        assertThatThrownBy(() -> restore.restore(stored.id(), whole.confirm(), "test"))
                .isInstanceOf(ConflictProblem.class).hasMessageContaining("changed since the preview");
        assertThatThrownBy(() -> restore.restore(stored.id(), null, "test")).isInstanceOf(ConflictProblem.class)
                .hasMessageContaining("preview first");

        RestoreView started = restore.restore(stored.id(), preview.confirm(), "test");
        RestoreView done = awaitRestore(started.id());

        assertThat(done.state()).as(String.valueOf(done.failure())).isEqualTo("verified");
        assertThat(done.fingerprintBefore()).isNull();
        assertThat(done.fingerprintAfter()).isEqualTo(stored.identityFingerprint());
        assertThat(runs.get(done.runId()).orElseThrow().counts()).containsEntry("ok", 1L);
        assertThat(Files.readAllBytes(identity)).isEqualTo(original);
        assertThat(auditCount("backup.restore", "ok")).isEqualTo(1);
        assertThat(auditCount("backup.restore.check", "ok")).isEqualTo(1);
        assertThat(auditCount("backup.restore", "refused")).isEqualTo(1);
    }

    @Test
    void migrateMovesANodesIdentityToANewSimulatedHostAndTheOldOneStops() throws Exception {
        FleetNode oldHost = FLEET.node(0);
        FleetNode newHost = FLEET.node(3);
        byte[] identity = Files.readAllBytes(oldHost.home().resolve("var/lib/pop/node_info.json"));
        // node 3 becomes a freshly installed host, added to the inventory (its host key pinned) but no identity yet
        relayOut(newHost, true);
        // the simulated systemd's record of an enabled unit, as `systemctl enable` leaves it
        Path enabled = oldHost.home().resolve("var/lib/pop-sim/systemd/pop.service.enabled");
        try {
            assertThat(enabled).exists();
            assertThat(SimulatedNodes.pop(oldHost, "start")).isZero();
            long pull = queuePull(ids.get(0), backupOnNode(oldHost));
            pulls.pullPending();
            assertThat(awaitFinished(pull)).isNull();
            StoredArchive stored = backups.list(Optional.of(ids.get(0)), 1).get(0);
            String to = "bk-3";

            RestorePreview preview = restore.previewMigration(stored.id(), to);
            assertThat(preview.kind()).isEqualTo("migrate");
            assertThat(preview.oldNode()).isEqualTo("bk-0");
            assertThat(preview.oldHost()).isEqualTo(oldHost.host());
            assertThat(preview.targetHost()).isEqualTo(newHost.host());
            assertThat(preview.current().reachable()).isTrue();
            assertThat(preview.current().fingerprint()).isNull();
            assertThat(preview.warnings().get(0)).contains("Pipe binds").contains(stored.registeredIp())
                    .contains(newHost.host());
            assertThat(preview.warnings()).anySatisfy(w -> assertThat(w).contains("bk-0").contains("pop stop --disable")
                    .contains("disabled at boot"));

            RestoreView done = awaitRestore(restore.migrate(stored.id(), to, preview.confirm(), "test").id());

            assertThat(done.state()).as(String.valueOf(done.failure())).isEqualTo("verified");
            assertThat(done.healthy()).isTrue();
            assertThat(done.fingerprintAfter()).isEqualTo(stored.identityFingerprint());
            assertThat(Files.readAllBytes(newHost.home().resolve("var/lib/pop/node_info.json"))).isEqualTo(identity);
            NodeProbe.Probe old = probe.probe(new io.popfleet.ssh.SshTarget(ids.get(0), "bk-0", oldHost.host(),
                    oldHost.port(), "pop", CREDENTIAL));
            assertThat(old.reachable()).as(String.valueOf(old.failure())).isTrue();
            assertThat(old.serviceState()).isNotEqualTo("running");
            // stopped and disabled: a reboot of the old host does not bring the identity back on a second host
            assertThat(enabled).doesNotExist();
            assertThat(runs.get(done.stopRunId()).orElseThrow().arguments()).containsExactly("--disable");
            assertThat(QuarkusTransaction.requiringNew().call(() -> nodes.get(ids.get(0))).orElseThrow().enabled())
                    .isFalse();
            assertThat(QuarkusTransaction.requiringNew().call(() -> nodes.getByName("bk-3")).orElseThrow()).satisfies(n -> {
                assertThat(n.enabled()).isTrue();
                assertThat(n.host()).isEqualTo(newHost.host());
                assertThat(n.groups()).contains("bk-policy");
            });
            assertThat(auditCount("backup.migrate", "ok")).isEqualTo(1);
            assertThat(auditCount("backup.migrate.check", "ok")).isEqualTo(1);
        } finally {
            SimulatedNodes.popSim("kill", oldHost.home().toString());
            Files.writeString(enabled, "");
            relayOut(newHost, false);
        }
    }

    @Test
    void nodesInNoGroupFollowTheDefaultPolicyAndPoliciesAreEditedAndAudited() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_policy_default set"
                + " last_started_at = null, enabled = true, interval_hours = 24").executeUpdate());
        List<Run> started = scheduler.startDue(Instant.now());
        assertThat(started).hasSize(2);
        Set<String> covered = started.stream().flatMap(run -> runs.targets(run.id, null, 0, 100).stream())
                .map(io.popfleet.runs.TargetView::nodeName).collect(Collectors.toSet());
        assertThat(covered).isEqualTo(Set.copyOf(names()));
        // both are due again only after their interval
        assertThat(scheduler.startDue(Instant.now().plus(Duration.ofHours(1)))).isEmpty();
        for (Run run : started) {
            RunWaits.finished(runs, run.id);
        }

        BackupPolicy changed = policies.update(null, new BackupPolicy.Change(true, 6, 2, 3, 1), "test");
        assertThat(changed.isDefault()).isTrue();
        assertThat(changed.nodes()).isEqualTo(FLEET.size() - 1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> retention.policyOf(ids.get(1)))).isEqualTo(new RetentionPolicy(2, 3, 1));
        List<Run> later = scheduler.startDue(Instant.now().plus(Duration.ofHours(7)));
        assertThat(later).hasSize(1);
        assertThat(runs.get(later.get(0).id).orElseThrow().selection()).contains("bk-1", "bk-2", "bk-3");
        RunWaits.finished(runs, later.get(0).id);
        assertThatThrownBy(() -> policies.update("bk-policy", new BackupPolicy.Change(true, 0, 0, -1, 1), "test"))
                .hasMessageContaining("intervalHours must be 1 to 8760").hasMessageContaining("keepLast")
                .hasMessageContaining("keepDaily");
        assertThat(policies.update("bk-policy", new BackupPolicy.Change(false, 24, 5, 5, 5), "test").enabled())
                .isFalse();
        assertThat(auditCount("backup.policy", "ok")).isEqualTo(2);
    }

    @Test
    @TestSecurity(user = "test-operator", roles = Roles.OPERATOR, augmentors = RoleHierarchy.class)
    void theBackupsPageShowsEveryNodeFiltersTheStaleOnesAndEditsThePolicies() throws Exception {
        List<StoredArchive> stored = pullFromEveryNode();
        // bk-1's copy is lost: it has no verified backup left, so it is stale
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from backup_archive where node_id ="
                + " :node").setParameter("node", ids.get(1)).executeUpdate());
        StoredArchive bk0 = stored.stream().filter(a -> a.nodeName().equals("bk-0")).findFirst().orElseThrow();

        String all = given().when().get("/backups").then().statusCode(200).extract().asString();
        for (String name : names()) {
            assertThat(all).contains("data-node=\"" + name + "\"");
        }
        assertThat(all).contains(bk0.keyId()).contains("stale or missing (1)").contains("data-policy=\"(default)\"")
                .contains("data-policy=\"bk-policy\"");
        String stale = given().when().get("/backups?stale=true").then().statusCode(200).extract().asString();
        assertThat(stale).contains("data-node=\"bk-1\"").doesNotContain("data-node=\"bk-0\"");
        assertThat(given().when().get("/api/v1/backups/nodes?stale=true").then().statusCode(200).extract()
                .jsonPath().getList("nodeName", String.class)).containsExactly("bk-1");

        given().when().get("/backups/nodes/" + ids.get(0)).then().statusCode(200)
                .body(containsString("data-archive=\"" + bk0.id() + "\""));
        String preview = given().when().get("/backups/" + bk0.id() + "/restore").then().statusCode(200).extract()
                .asString();
        assertThat(preview).contains("id=\"current-fingerprint\">" + bk0.identityFingerprint())
                .contains("name=\"confirm\"");
        given().contentType(ContentType.JSON).body("{}").when().post("/api/v1/backups/" + bk0.id() + "/restore")
                .then().statusCode(409).body("type", containsString("confirmation-required"));

        PageSession page = PageSession.open("/backups");
        page.form().formParam("group", "").formParam("enabled", "true").formParam("intervalHours", "12")
                .formParam("keepLast", "4").formParam("keepDaily", "5").formParam("keepWeekly", "6")
                .redirects().follow(false).when().post("/backups/policies").then().statusCode(303);
        page.form().formParam("group", "bk-policy").formParam("intervalHours", "0").formParam("keepLast", "4")
                .formParam("keepDaily", "5").formParam("keepWeekly", "6").when().post("/backups/policies").then()
                .statusCode(400);
        given().when().get("/api/v1/backups/policies").then().statusCode(200)
                .body("find { it.group == null }.intervalHours", equalTo(12))
                .body("find { it.group == null }.keepWeekly", equalTo(6))
                .body("find { it.group == 'bk-policy' }.intervalHours", equalTo(24));
        given().contentType(ContentType.JSON).body("{\"enabled\": false, \"intervalHours\": 48, \"keepLast\": 2,"
                + " \"keepDaily\": 0, \"keepWeekly\": 0}").when().put("/api/v1/backups/policies/groups/bk-policy")
                .then().statusCode(200).body("enabled", equalTo(false)).body("nodes", equalTo(1));
        given().contentType(ContentType.JSON).body("{\"enabled\": true, \"intervalHours\": 48, \"keepLast\": 2,"
                + " \"keepDaily\": 0, \"keepWeekly\": 0}").when().put("/api/v1/backups/policies/groups/nope")
                .then().statusCode(404);
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_policy_default set"
                + " interval_hours = 24, keep_last = 7, keep_daily = 14, keep_weekly = 8").executeUpdate());
    }

    // --- helpers ---

    private RestoreView awaitRestore(long id) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> restore.find(id).orElseThrow(),
                RestoreView::finished);
    }

    private long auditCount(String action, String outcome) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from audit_event where action = :action and outcome = :outcome")
                .setParameter("action", action).setParameter("outcome", outcome).getSingleResult()).longValue());
    }

    /** Lays a node out again from scratch: a fresh, unregistered host, or the node it was (its seed). */
    private static void relayOut(FleetNode node, boolean unregistered) throws IOException, InterruptedException {
        SimulatedNodes.popSim("kill", node.home().toString());
        try (var files = Files.list(node.home())) {
            for (Path child : files.toList()) {
                if (!child.getFileName().toString().startsWith(".")) {
                    deleteTree(child);
                }
            }
        }
        if (unregistered) {
            SimulatedNodes.popSim("init", node.home().toString(), "--seed", "9" + node.index(), "--unregistered");
        } else {
            SimulatedNodes.simulate(node, 300 + node.index());
        }
    }

    private static void deleteTree(Path path) throws IOException {
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** A backup of every node, pulled into the store; answers the stored archives. */
    private List<StoredArchive> pullFromEveryNode() throws Exception {
        List<Long> pullIds = new java.util.ArrayList<>();
        for (int i = 0; i < FLEET.size(); i++) {
            pullIds.add(queuePull(ids.get(i), backupOnNode(FLEET.node(i))));
        }
        pulls.pullPending();
        for (long pull : pullIds) {
            assertThat(awaitFinished(pull)).isNull();
        }
        List<StoredArchive> stored = backups.list(Optional.empty(), 100);
        assertThat(stored).hasSize(FLEET.size());
        return stored;
    }

    private Path file(StoredArchive archive) {
        return Path.of(store.describe(), archive.sha256().substring(0, 2), archive.sha256() + ".pfb");
    }

    /** An archive row with no file behind it, for retention, which never reads files. */
    private long fakeArchive(long node, Instant madeAt, boolean good) {
        String key = keys.activeId();
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("insert into"
                + " backup_archive (node_id, node_name, archive_name, made_at, pulled_at, size_bytes, sha256,"
                + " stored_bytes, key_id, wrapped_key, verified_at, verify_ok) select id, name, 'pop-backup-fake',"
                + " :made, :made, 1, encode(sha256(random()::text::bytea), 'hex'), 1, :key, '\\x00'::bytea, :made,"
                + " :good from node where id = :node returning id").setParameter("made", madeAt)
                .setParameter("key", key).setParameter("good", good).setParameter("node", node).getSingleResult())
                .longValue());
    }

    private List<String> names() {
        return IntStream.range(0, FLEET.size()).mapToObj(i -> "bk-" + i).collect(Collectors.toList());
    }

    private void awaitPulls(int stored) {
        await().atMost(Duration.ofSeconds(30)).until(() -> QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from backup_pull where state = 'stored'").getSingleResult())
                .intValue()) == stored);
    }

    /** Waits for a pull to end; answers its failure, null when it stored the archive. */
    private String awaitFinished(long pull) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !"pulling".equals(state(pull))
                && !"pending".equals(state(pull)));
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select failure from backup_pull where id = :id").setParameter("id", pull).getSingleResult());
    }

    private String state(long pull) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select state from backup_pull where id = :id").setParameter("id", pull).getSingleResult());
    }

    /** What a node's backup target would have queued, for a node answer made by the test. */
    private long queuePull(long nodeId, JsonNode made) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("insert into backup_pull"
                + " (node_id, run_id, archive_name, path, sha256, size_bytes) values (:node, 0, :name, :path, :sha,"
                + " :size) returning id").setParameter("node", nodeId).setParameter("name", made.at("/archive")
                        .asText()).setParameter("path", made.at("/path").asText())
                .setParameter("sha", made.at("/sha256").asText()).setParameter("size", made.at("/size_bytes")
                        .asLong()).getSingleResult()).longValue());
    }

    private static JsonNode backupOnNode(FleetNode node) throws IOException, InterruptedException {
        JsonNode answer = JSON.readTree(SimulatedNodes.popOutput(node, "--json", "backup"));
        assertThat(answer.at("/ok").asBoolean()).as(answer.toString()).isTrue();
        return answer.at("/data").deepCopy();
    }

    private List<Path> incoming() throws IOException {
        try (var files = Files.list(Path.of(store.describe(), "incoming"))) {
            return files.toList();
        }
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
    }

    /** A Solana keypair file's shape: 64 byte values in a JSON array (these are not a real key). */
    private static String keypair() {
        return IntStream.range(0, 64).mapToObj(i -> Integer.toString((i * 37) % 256))
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer: for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
