package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunService;
import io.popfleet.ssh.CredentialService;
import io.popfleet.ssh.HostKeyService;
import io.popfleet.testing.BackupNodes;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.RecordingNodes;
import io.popfleet.testing.RunWaits;
import io.popfleet.testing.SshTestFleet;
import io.popfleet.testing.TestFiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A fleet backup of 100 nodes: every node's archive is pulled over SSH, stored encrypted, and opens to the very
 * bytes the node made, whose sha256 is the stored one and the node's own. The nodes answer in-process
 * ({@link BackupNodes}: archives made from one the real node tool wrote, each with the node's own identity), so the
 * hundred cost the suite little.
 */
@QuarkusTest
class HundredNodeBackupTest {

    private static final int SIZE = 100;
    private static final String CREDENTIAL = "HundredNodeBackupTest";
    private static final RecordingNodes NODES = new RecordingNodes(Duration.ZERO, Map.of(), false);

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(SIZE).commands(NODES);

    private static Path template;
    private static BackupNodes made;

    @Inject
    BackupService backups;

    @Inject
    RunService runs;

    @Inject
    CredentialService credentials;

    @Inject
    HostKeyService hostKeys;

    @Inject
    EntityManager em;

    @BeforeAll
    static void archivesAsTheNodeToolMakesThem() throws IOException {
        template = Files.createTempDirectory("popfleet-backup-template");
        made = BackupNodes.fromRealNode(template);
        NODES.perNode(made);
    }

    @AfterAll
    static void cleanUp() {
        NODES.close();
        TestFiles.deleteRecursively(template);
    }

    private static String name(int index) {
        return String.format("bk100-%03d", index);
    }

    @Test
    void aBackupOfAHundredNodesStoresEveryArchiveWithItsSha256() throws Exception {
        Inventory.clearWithRuns();
        if (credentials.find(CREDENTIAL).isEmpty()) {
            credentials.importPrivateKey(CREDENTIAL, FLEET.clientKeyOpenSsh(null), null, "test");
        }
        // one statement for the hundred (NodeService's per-node path is covered elsewhere and costs seconds here)
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> {
            List<Long> inserted = new ArrayList<>();
            for (int i = 0; i < SIZE; i++) {
                inserted.add(((Number) em.createNativeQuery("insert into node (id, name, host, ssh_port, ssh_user,"
                        + " credential_ref) values (nextval('node_seq'), ?1, ?2, ?3, 'pop', ?4) returning id")
                        .setParameter(1, name(i)).setParameter(2, FLEET.node(i).host())
                        .setParameter(3, FLEET.node(i).port()).setParameter(4, CREDENTIAL).getSingleResult())
                        .longValue());
            }
            return inserted;
        });
        hostKeys.importKnownHosts(FLEET.knownHosts(), "test");

        Run run = backups.backupNow(NodeSelection.named(IntStream.range(0, SIZE).mapToObj(
                HundredNodeBackupTest::name).toList()), "test");
        RunWaits.finished(runs, run.id, Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).until(() -> unfinishedPulls(run.id) == 0);
        assertThat(failedPulls(run.id)).isEmpty();

        for (int i = 0; i < SIZE; i++) {
            int index = i;
            BackupNodes.Made onNode = made.made(i).orElseThrow(() -> new AssertionError("a node made no backup"));
            List<StoredArchive> stored = backups.list(Optional.of(ids.get(i)), 10);
            assertThat(stored).as(name(i)).singleElement().satisfies(archive -> {
                assertThat(archive.archiveName()).isEqualTo(onNode.name());
                assertThat(archive.sha256()).isEqualTo(onNode.sha256());
                assertThat(archive.sizeBytes()).isEqualTo(onNode.archive().length);
                assertThat(archive.identityFingerprint()).isEqualTo(BackupNodes.sha256(onNode.identity()));
                assertThat(archive.pipeNodeId()).isEqualTo(BackupNodes.nodeId(index));
            });
            StoredArchive archive = stored.get(0);
            byte[] plain;
            try (InputStream in = backups.open(archive.id())) {
                plain = in.readAllBytes();
            }
            // re-hashed from the decrypted file, and against the node's own manifest of what it holds
            assertThat(BackupNodes.sha256(plain)).as(name(i)).isEqualTo(archive.sha256());
            assertThat(plain).isEqualTo(onNode.archive());
            try (InputStream in = backups.open(archive.id())) {
                assertThat(ArchiveInspector.inspect(in).identityFingerprint())
                        .isEqualTo(BackupNodes.sha256(onNode.identity()));
            }
        }
    }

    private long unfinishedPulls(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("select count(*) from"
                + " backup_pull where run_id = :run and state in ('pending', 'pulling')").setParameter("run", runId)
                .getSingleResult()).longValue()) + (countPulls(runId) < SIZE ? 1 : 0);
    }

    private long countPulls(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("select count(*) from"
                + " backup_pull where run_id = :run").setParameter("run", runId).getSingleResult()).longValue());
    }

    @SuppressWarnings("unchecked")
    private List<String> failedPulls(long runId) {
        return QuarkusTransaction.requiringNew().call(() -> (List<String>) em.createNativeQuery("select"
                + " archive_name || ': ' || coalesce(failure, state) from backup_pull where run_id = :run and state"
                + " <> 'stored'").setParameter("run", runId).getResultList());
    }
}
