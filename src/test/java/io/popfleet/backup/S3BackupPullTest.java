package io.popfleet.backup;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeEndpoints;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;
import io.popfleet.testing.Fault;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.FleetRegistration;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.SimulatedNodes;
import io.popfleet.testing.SshTestFleet;

import static io.popfleet.testing.NodeBuilder.aNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node's archive pulled over SSH into the S3 store on a real S3-compatible server (S3Proxy on loopback), in the
 * suite's usual Quarkus profile: the pull streams through the cipher into the staged upload, a connection dropped
 * mid-stream puts nothing in the bucket, and what is stored re-reads (verify) to the node's archive, byte for byte.
 */
@QuarkusTest
class S3BackupPullTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SshTestFleet FLEET = SshTestFleet.ofSize(1);

    private static LoopbackS3 server;

    @Inject
    FleetRegistration registration;

    @Inject
    SshEngine engine;

    @TempDir
    Path work;

    @BeforeAll
    static void startServer() throws Exception {
        server = LoopbackS3.shared();
    }

    @Test
    void aPulledArchiveIsStoredSealedInTheBucketAndADroppedTransferLeavesNothing() throws Exception {
        Inventory.clearWithRuns();
        long id = registration.register(FLEET, "S3BackupPullTest", 700, node -> aNode().named("s3-0")).get(0);
        SshTarget target = QuarkusTransaction.requiringNew().call(() -> NodeEndpoints.of(Node.<Node>findById(id))
                .orElseThrow());
        FleetNode node = FLEET.node(0);
        JsonNode made = JSON.readTree(SimulatedNodes.popOutput(node, "--json", "backup")).at("/data");
        ArchivePull.Request request = new ArchivePull.Request(made.at("/archive").asText(),
                made.at("/path").asText(), made.at("/sha256").asText(), made.at("/size_bytes").asLong());
        byte[] onNode = Files.readAllBytes(node.home().resolve("var/backups/pop").resolve(request.archiveName()));
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try (S3BackupStore store = S3BackupStore.connect(server.settings("pull-" + System.nanoTime(), 5L * 1024 * 1024),
                server.secretAccessKey, work)) {
            FLEET.inject(0, Fault.DROP_MID_STREAM);
            assertThatThrownBy(() -> pull(store, target, request, worker)).hasRootCauseInstanceOf(
                    ArchivePull.Failed.class).rootCause().hasMessageContaining("transfer failed");
            assertThat(store.list()).isEmpty();
            assertThat(store.pendingUploads()).isZero();
            try (var staged = Files.list(work.resolve("incoming"))) {
                assertThat(staged).isEmpty();
            }

            FLEET.clear(0, Fault.DROP_MID_STREAM);
            ArchivePull.Stored stored = pull(store, target, request, worker);
            assertThat(stored.sha256()).isEqualTo(request.sha256()).isEqualTo(ArchiveInspector.sha256(onNode));
            assertThat(store.list()).containsExactly(request.sha256());
            assertThat(stored.facts().files()).contains(ArchiveInspector.IDENTITY);
            try (InputStream sealed = store.open(stored.sha256()).orElseThrow()) {
                byte[] atRest = sealed.readAllBytes();
                assertThat(atRest.length).isEqualTo(stored.storedBytes());
                assertThat(new String(atRest, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("PFB1");
            }
            try (InputStream plain = ArchiveCipher.opening(store.open(stored.sha256()).orElseThrow(),
                    stored.dataKey())) {
                assertThat(plain.readAllBytes()).isEqualTo(onNode);
            }
        } finally {
            worker.shutdownNow();
        }
    }

    private ArchivePull.Stored pull(S3BackupStore store, SshTarget target, ArchivePull.Request request,
            ExecutorService worker) throws InterruptedException, ExecutionException, TimeoutException {
        return ArchivePull.pull(engine, target, request, store, engine.settings().limits()
                .withExecTimeout(Duration.ofSeconds(30)).withMaxOutput(16 * 1024 * 1024), worker)
                .get(60, TimeUnit.SECONDS);
    }
}
