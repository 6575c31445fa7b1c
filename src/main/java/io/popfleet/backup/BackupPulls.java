package io.popfleet.backup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.SqlRow;
import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeEndpoints;
import io.popfleet.ops.BackupMade;
import io.popfleet.runs.LoopbackAddresses;
import io.popfleet.runs.RunsConfig;
import io.popfleet.runs.TargetFinished;
import io.popfleet.security.AuditLog;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * Every archive a node reports from {@code pop backup} (a fleet backup run, a scheduled one, or an operator's own
 * run) is queued in {@code backup_pull} with the target's outcome, then pulled by whichever controller claims it
 * ({@code SKIP LOCKED}), at most {@code popfleet.backup.pull-concurrency} at a time per controller.
 */
@ApplicationScoped
public class BackupPulls {

    private static final Logger LOG = Logger.getLogger(BackupPulls.class);
    static final String ACTOR = "backup";

    @Inject
    EntityManager em;

    @Inject
    SshEngine engine;

    @Inject
    BackupStore store;

    @Inject
    BackupKeys keys;

    @Inject
    BackupConfig config;

    @Inject
    RunsConfig runs;

    @Inject
    AuditLog audit;

    private final AtomicInteger inFlight = new AtomicInteger();
    // Checking, inspecting and recording happen off the SSH I/O threads, which must never block.
    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "popfleet-backup-pull");
        thread.setDaemon(true);
        return thread;
    });

    /** In the target's transaction: the queued pull commits with the answer it came from. */
    @Transactional(Transactional.TxType.MANDATORY)
    void onTargetFinished(@Observes TargetFinished finished) {
        if (finished.nodeId() == null) {
            return;
        }
        finished.answer(BackupMade.class).ifPresent(made -> em.createNativeQuery("insert into backup_pull (node_id,"
                + " run_id, archive_name, path, sha256, size_bytes) values (:node, :run, :name, :path, :sha, :size)")
                .setParameter("node", finished.nodeId()).setParameter("run", finished.runId())
                .setParameter("name", String.valueOf(made.archive())).setParameter("path", String.valueOf(made.path()))
                .setParameter("sha", String.valueOf(made.sha256()))
                .setParameter("size", new TypedParameterValue<>(StandardBasicTypes.LONG, made.sizeBytes()))
                .executeUpdate());
    }

    void afterBackup(@Observes(during = TransactionPhase.AFTER_SUCCESS) TargetFinished finished) {
        if ("backup".equals(finished.operation())) {
            workers.execute(this::pullPending);
        }
    }

    /** Picks up pulls another controller left (or this one, before a restart). */
    @Scheduled(every = "${popfleet.backup.pull-interval:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        pullPending();
    }

    /** Claims what this controller has room for and starts pulling it; answers how many it started. */
    public int pullPending() {
        int room = config.pullConcurrency() - inFlight.get();
        if (room <= 0) {
            return 0;
        }
        List<SqlRow> claimed = QuarkusTransaction.requiringNew().call(() -> SqlRow.list(SqlRow.query(em,
                "update backup_pull set state = 'pulling', claimed_at = now() where id in (select id from backup_pull"
                        + " where state = 'pending' or (state = 'pulling' and claimed_at < now() - :stale"
                        + " * interval '1 second') order by id limit :room for update skip locked)"
                        + " returning id, node_id, run_id, archive_name, path, sha256, size_bytes")
                .setParameter("stale", config.pullTimeout().toSeconds() * 3 + 60).setParameter("room", room)));
        claimed.forEach(this::start);
        return claimed.size();
    }

    private void start(SqlRow row) {
        inFlight.incrementAndGet();
        long pullId = row.whole("id");
        long nodeId = row.whole("node_id");
        ArchivePull.Request request = new ArchivePull.Request(row.text("archive_name"), row.text("path"),
                row.text("sha256"), row.whole("size_bytes"));
        CompletableFuture<ArchivePull.Stored> pulled;
        try {
            Node node = QuarkusTransaction.requiringNew().call(() -> Node.<Node>findById(nodeId));
            SshTarget reach = node == null ? null
                    : QuarkusTransaction.requiringNew().call(() -> NodeEndpoints.of(node).orElse(null));
            if (node == null || reach == null) {
                pulled = CompletableFuture.failedFuture(new ArchivePull.Failed("node left the inventory", false));
            } else if (runs.loopbackOnly() && !LoopbackAddresses.isLoopbackOnly(reach)) {
                pulled = CompletableFuture.failedFuture(new ArchivePull.Failed("this controller only contacts"
                        + " loopback addresses (popfleet.runs.loopback-only)", false));
            } else {
                SshTarget target = reach;
                pulled = ArchivePull.pull(engine, target, request, store, engine.settings().limits()
                        .withExecTimeout(config.pullTimeout()).withMaxOutput(config.maxArchiveBytes()), workers);
            }
        } catch (RuntimeException e) {
            pulled = CompletableFuture.failedFuture(e);
        }
        pulled.whenCompleteAsync((stored, failure) -> {
            try {
                if (failure == null) {
                    record(pullId, nodeId, row.whole("run_id"), request, stored);
                } else {
                    failed(pullId, nodeId, request, failure);
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "cannot record backup pull %d; it is pulled again later", pullId);
            } finally {
                inFlight.decrementAndGet();
            }
            // the room it leaves goes to the next pending pull now, not at the next tick: after a fleet's run
            // ends nothing else would claim them, and 1,000 pulls at 8 a tick took half an hour
            pullPending();
        }, workers);
    }

    private void record(long pullId, long nodeId, Long runId, ArchivePull.Request request,
            ArchivePull.Stored stored) {
        QuarkusTransaction.requiringNew().run(() -> {
            Long archiveId;
            if (stored.dataKey() == null) {
                List<?> ids = em.createNativeQuery("select id from backup_archive where sha256 = :sha")
                        .setParameter("sha", stored.sha256()).getResultList();
                if (ids.isEmpty()) {
                    // a file without its row (a crash between the two): drop it, and the next pull stores it whole
                    deleteQuietly(stored.sha256());
                    em.createNativeQuery("update backup_pull set state = 'pending', claimed_at = null where id = :id")
                            .setParameter("id", pullId).executeUpdate();
                    return;
                }
                archiveId = ((Number) ids.get(0)).longValue();
            } else {
                BackupKeys.Wrapped wrapped = keys.wrap(stored.dataKey(), stored.sha256());
                ArchiveInspector.Facts facts = stored.facts();
                archiveId = ((Number) em.createNativeQuery("insert into backup_archive (node_id, node_name,"
                        + " archive_name, made_at, pulled_at, size_bytes, sha256, stored_bytes, tool_version,"
                        + " binary_version, pipe_node_id, identity_fingerprint, registered_ip, key_id, wrapped_key,"
                        + " verified_at, verify_ok, run_id) select n.id, n.name, :name, coalesce(:made, now()), now(),"
                        + " :size, :sha, :stored, :tool, :binary, :pipe, :fingerprint, :ip, :key, :wrapped, now(),"
                        + " true, :run from node n where n.id = :node returning id")
                        .setParameter("name", request.archiveName())
                        .setParameter("made", new TypedParameterValue<>(StandardBasicTypes.INSTANT, facts.created()))
                        .setParameter("size", stored.sizeBytes()).setParameter("sha", stored.sha256())
                        .setParameter("stored", stored.storedBytes())
                        .setParameter("tool", text(facts.toolVersion()))
                        .setParameter("binary", text(facts.binaryVersion()))
                        .setParameter("pipe", text(facts.pipeNodeId()))
                        .setParameter("fingerprint", text(facts.identityFingerprint()))
                        .setParameter("ip", text(facts.registeredIp())).setParameter("key", wrapped.keyId())
                        .setParameter("wrapped", wrapped.wrapped())
                        .setParameter("run", new TypedParameterValue<>(StandardBasicTypes.LONG, runId))
                        .setParameter("node", nodeId).getSingleResult()).longValue();
            }
            em.createNativeQuery("update backup_pull set state = 'stored', finished_at = now(), archive_id = :archive,"
                    + " failure = null where id = :id").setParameter("archive",
                            new TypedParameterValue<>(StandardBasicTypes.LONG, archiveId))
                    .setParameter("id", pullId).executeUpdate();
        });
    }

    private void failed(long pullId, long nodeId, ArchivePull.Request request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        String why = cause instanceof ArchivePull.Failed ? cause.getMessage() : "internal: " + cause;
        boolean refused = cause instanceof ArchivePull.Failed failed && failed.refused;
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update backup_pull set state = 'failed', finished_at = now(), failure = :why"
                    + " where id = :id").setParameter("why", why).setParameter("id", pullId).executeUpdate();
            if (refused) {
                List<String> node = em.createNativeQuery("select name from node where id = :id")
                        .setParameter("id", nodeId).getResultList().stream().map(String::valueOf).toList();
                audit.record(ACTOR, "backup.refused", String.valueOf(request.archiveName()), node, AuditLog.REFUSED,
                        Map.of("reason", why));
            }
        });
        LOG.infof("backup pull %d of node %d failed: %s", pullId, nodeId, why);
    }

    private void deleteQuietly(String sha) {
        try {
            store.delete(sha);
        } catch (java.io.IOException e) {
            LOG.warnf("cannot delete the orphaned stored file %s: %s", sha, e);
        }
    }

    private static TypedParameterValue<String> text(String value) {
        return new TypedParameterValue<>(StandardBasicTypes.STRING, value);
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdown();
    }
}
