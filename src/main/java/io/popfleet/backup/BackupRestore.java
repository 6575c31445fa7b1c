package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.inventory.Node;
import io.popfleet.inventory.NodeEndpoints;
import io.popfleet.inventory.NodeInput;
import io.popfleet.inventory.NodeService;
import io.popfleet.inventory.NodeView;
import io.popfleet.ops.OperationCall;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.runs.RunService;
import io.popfleet.runs.RunView;
import io.popfleet.security.AuditLog;
import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.ShellQuoting;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * Restores a stored archive onto its node, or migrates a node's identity to a new host; both previewed first (what
 * the target holds now beside the backup), started only with the preview's confirmation, audited, and checked
 * afterwards (the target's identity byte-identical to the backup's, its service healthy). The work runs in the
 * background; {@code backup_restore} says how far it got.
 *
 * <p>A restore uploads the archive into the node's backup directory (checked there against its sha256, then moved
 * into place with its {@code .sha256} file) and runs {@code pop restore NAME}, which verifies it again and restores
 * through the tool's own safety steps (docs/node-json.md {@code restore}). A migration adds a node for the new host,
 * uploads there, stops the old node and disables its unit at boot ({@code pop stop --disable}: one identity on two
 * hosts breaks both), runs {@code pop restore NAME --migrate}
 * and {@code pop start} on the new one, and disables the old node in the inventory.
 */
@ApplicationScoped
public class BackupRestore {

    private static final Logger LOG = Logger.getLogger(BackupRestore.class);
    private static final Duration RUN_WAIT = Duration.ofMinutes(15);
    private static final String DEFAULT_DIRECTORY = "/var/backups/pop";

    @Inject
    EntityManager em;

    @Inject
    BackupService backups;

    @Inject
    BackupConfig config;

    @Inject
    SshEngine engine;

    @Inject
    RunPlanner planner;

    @Inject
    RunService runs;

    @Inject
    OperationCatalog catalog;

    @Inject
    AuditLog audit;

    @Inject
    NodeProbe probe;

    @Inject
    NodeService nodes;

    private final ExecutorService workers = Executors.newFixedThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "backup-restore");
        thread.setDaemon(true);
        return thread;
    });

    // --- restore onto the backup's own node ---

    /** What restoring this backup onto its node would do; reads the node, changes nothing. */
    public RestorePreview preview(long archiveId) {
        StoredArchive archive = archive(archiveId);
        Node node = ownNode(archive);
        NodeProbe.Probe now = probe.probe(target(node));
        List<String> warnings = new ArrayList<>();
        boolean same = archive.identityFingerprint() != null && archive.identityFingerprint().equals(
                now.fingerprint());
        if (!now.reachable()) {
            warnings.add(node.name + " does not answer (" + now.failure() + "); the restore cannot start");
        } else if (now.fingerprint() == null) {
            warnings.add(node.name + " has no identity now (" + now.identityState() + "): the backup's is put back");
        } else if (!same) {
            warnings.add(node.name + " holds another identity now (node " + now.pipeNodeId() + "): the node tool"
                    + " refuses a foreign one; migrating it here is a migration, not a restore");
        } else {
            warnings.add(node.name + " holds this identity already: the restore rewrites the same bytes and the"
                    + " settings in the backup");
        }
        String confirm = token("restore", archiveId, node.id, node.host, now.fingerprint());
        return new RestorePreview("restore", archiveId, archive.archiveName(), archive.madeAt(), node.name, node.host,
                archive.identityFingerprint(), archive.pipeNodeId(), archive.registeredIp(), now, same,
                replaces(archiveId), warnings, null, null, confirm);
    }

    /** Starts the restore when {@code confirm} is what a preview of the same state answered; answers its record. */
    public RestoreView restore(long archiveId, String confirm, String actor) {
        RestorePreview preview = preview(archiveId);
        checkConfirmation(preview, confirm, actor);
        if (!preview.current().reachable()) {
            throw new ConflictProblem("node-unreachable", preview.target() + " does not answer ("
                    + preview.current().failure() + "); nothing was changed");
        }
        StoredArchive archive = archive(archiveId);
        long id = QuarkusTransaction.requiringNew().call(() -> {
            long started = insert("restore", archive, archive.nodeId(), preview.target(), null, null,
                    preview.current().fingerprint(), preview.warnings(), actor);
            audit.record(actor, "backup.restore", archive.archiveName(), List.of(preview.target()), AuditLog.OK,
                    Map.of("restore", started, "archive", archiveId, "fingerprintBefore",
                            String.valueOf(preview.current().fingerprint()), "expected",
                            String.valueOf(archive.identityFingerprint())));
            return started;
        });
        workers.execute(() -> work(id, () -> restoreWork(id, archive, preview.current().healthy(), actor)));
        return find(id).orElseThrow();
    }

    // --- migration to a new host ---

    /**
     * What moving this backup's identity to the inventory node {@code to} (the new host, added to the inventory first
     * so its host key is pinned as every node's is) would do; reads the new host, changes nothing.
     */
    public RestorePreview previewMigration(long archiveId, String to) {
        StoredArchive archive = archive(archiveId);
        Node target = newHost(archive, to);
        Optional<Node> old = Optional.ofNullable(archive.nodeId()).flatMap(id -> QuarkusTransaction.requiringNew()
                .call(() -> Node.<Node>findByIdOptional(id)));
        NodeProbe.Probe now = probe.probe(target(target));
        List<String> warnings = new ArrayList<>();
        warnings.add("Pipe binds a node's identity to the IP it registered from: " + archive.registeredIp()
                + " for this one; the new host is " + target.host + ". Unless Pipe accepts the identity from the new"
                + " IP, the node may lose its registration or reputation there.");
        if (!now.reachable()) {
            warnings.add(target.name + " does not answer (" + now.failure() + "); the migration cannot start");
        } else if (now.fingerprint() != null && !now.fingerprint().equals(archive.identityFingerprint())) {
            warnings.add(target.name + " holds another identity (node " + now.pipeNodeId() + "); it is replaced (the"
                    + " node tool keeps a safety backup of it on that host)");
        }
        if (old.isPresent()) {
            warnings.add(old.get().name + " (" + old.get().host + ") is stopped first and its service disabled at"
                    + " boot (pop stop --disable: systemctl disable --now), and it is disabled in the inventory"
                    + " afterwards: one identity on two hosts breaks both");
        } else {
            warnings.add("the backup's node " + archive.nodeName() + " is no longer in the inventory: make sure it"
                    + " does not run anywhere");
        }
        String confirm = token("migrate", archiveId, old.map(n -> n.id).orElse(null), target.id, target.host,
                target.sshPort, now.fingerprint());
        return new RestorePreview("migrate", archiveId, archive.archiveName(), archive.madeAt(), target.name,
                target.host, archive.identityFingerprint(), archive.pipeNodeId(), archive.registeredIp(), now,
                archive.identityFingerprint() != null && archive.identityFingerprint().equals(now.fingerprint()),
                replaces(archiveId), warnings, old.map(n -> n.name).orElse(archive.nodeName()),
                old.map(n -> n.host).orElse(null), confirm);
    }

    /** Starts the migration when {@code confirm} matches a preview of the same state; answers its record. */
    public RestoreView migrate(long archiveId, String to, String confirm, String actor) {
        RestorePreview preview = previewMigration(archiveId, to);
        checkConfirmation(preview, confirm, actor);
        if (!preview.current().reachable()) {
            throw new ConflictProblem("node-unreachable", preview.target() + " does not answer ("
                    + preview.current().failure() + "); nothing was changed");
        }
        StoredArchive archive = archive(archiveId);
        Optional<NodeView> old = Optional.ofNullable(archive.nodeId()).flatMap(this::fresh);
        NodeView created = QuarkusTransaction.requiringNew().call(() -> nodes.getByName(to)).orElseThrow(() -> new NotFoundProblem("node", to));
        long id = QuarkusTransaction.requiringNew().call(() -> {
            long started = insert("migrate", archive, created.id(), created.name(), old.map(NodeView::id)
                    .orElse(null), old.map(NodeView::name).orElse(archive.nodeName()), preview.current().fingerprint(),
                    preview.warnings(), actor);
            audit.record(actor, "backup.migrate", archive.archiveName(), old.isPresent() ? List.of(old.get().name(),
                    created.name()) : List.of(created.name()), AuditLog.OK, Map.of("restore", started, "archive",
                            archiveId, "from", old.map(v -> v.name() + " " + v.host()).orElse(archive.nodeName()),
                            "to", created.name() + " " + created.host(), "registeredIp",
                            String.valueOf(archive.registeredIp())));
            return started;
        });
        workers.execute(() -> work(id, () -> migrateWork(id, archive, created, old, actor)));
        return find(id).orElseThrow();
    }

    // --- reading ---

    public Optional<RestoreView> find(long id) {
        return QuarkusTransaction.requiringNew().call(() -> SqlRow.list(SqlRow.query(em, "select "
                + RestoreView.COLUMNS + " from backup_restore where id = :id").setParameter("id", id)).stream()
                .map(RestoreView::of).findFirst());
    }

    public List<RestoreView> list(Optional<Long> nodeId, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            var query = SqlRow.query(em, "select " + RestoreView.COLUMNS + " from backup_restore"
                    + (nodeId.isPresent() ? " where node_id = :node or old_node_id = :node" : "")
                    + " order by id desc limit :limit").setParameter("limit", limit);
            nodeId.ifPresent(id -> query.setParameter("node", id));
            return SqlRow.list(query).stream().map(RestoreView::of).toList();
        });
    }

    // --- the work ---

    private void restoreWork(long id, StoredArchive archive, boolean wasHealthy, String actor) {
        Node node = QuarkusTransaction.requiringNew().call(() -> Node.<Node>findById(archive.nodeId()));
        upload(id, archive, node);
        step(id, "restore");
        Run run = plan(catalog.call("restore", List.of(archive.archiveName()), Map.of()), node.name, actor);
        setRun(id, "run_id", run.id);
        requireOk(run.id, "pop restore on " + node.name);
        check(id, archive, target(node), wasHealthy, actor, "backup.restore.check");
    }

    private void migrateWork(long id, StoredArchive archive, NodeView created, Optional<NodeView> old,
            String actor) {
        Node node = QuarkusTransaction.requiringNew().call(() -> Node.<Node>findById(created.id()));
        upload(id, archive, node);
        List<String> warnings = new ArrayList<>();
        if (old.isPresent() && old.get().enabled()) {
            step(id, "stop-old");
            // disabled as well as stopped: a host that reboots must not bring the identity back on two hosts
            Run stop = plan(catalog.call("stop", List.of(), Map.of("disable", "")), old.get().name(), actor);
            setRun(id, "stop_run_id", stop.id);
            String stopped = outcome(stop.id);
            if (stopped != null) {
                // the usual case after a dead disk: the old host cannot be reached; it must not come back as it was
                warnings.add("could not stop and disable " + old.get().name() + " (" + stopped + "): make sure it"
                        + " never runs this identity again");
            }
        }
        step(id, "restore");
        if (!created.enabled()) {
            // a disabled node is in no run's selection
            NodeView n = fresh(created.id()).orElseThrow();
            nodes.update(n.id(), input(n, true, n.notes(), n.groups(), n.tags(), n.region(), n.walletAddress()), actor);
        }
        Run run = plan(catalog.call("restore", List.of(archive.archiveName()), Map.of("migrate", "")),
                node.name, actor);
        setRun(id, "run_id", run.id);
        requireOk(run.id, "pop restore --migrate on " + node.name);
        step(id, "start");
        Run start = plan(catalog.call("start"), node.name, actor);
        requireOk(start.id, "pop start on " + node.name);
        step(id, "update-inventory");
        NodeView n = fresh(created.id()).orElseThrow();
        NodeView o = old.flatMap(v -> fresh(v.id())).orElse(null);
        // the new entry takes the old one's place: its groups, tags, region and wallet, and a note of where from
        nodes.update(n.id(), input(n, true, note(n.notes(), "identity of " + archive.nodeName() + " migrated here"
                + " from backup " + archive.archiveName() + " on " + Instant.now()), o == null ? n.groups()
                        : o.groups(), o == null ? n.tags() : o.tags(), o == null ? n.region() : o.region(),
                o == null ? n.walletAddress() : o.walletAddress()), actor);
        if (o != null && o.enabled()) {
            step(id, "disable-old");
            nodes.update(o.id(), input(o, false, note(o.notes(), "identity migrated to " + created.name() + " ("
                    + created.host() + ") on " + Instant.now()), o.groups(), o.tags(), o.region(), o.walletAddress()),
                    actor);
        }
        if (!warnings.isEmpty()) {
            QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_restore set warnings ="
                    + " coalesce(warnings || E'\\n', '') || :w where id = :id").setParameter("w", String.join("\n",
                            warnings)).setParameter("id", id).executeUpdate());
        }
        check(id, archive, target(node), true, actor, "backup.migrate.check");
    }

    /** The checks afterwards: the identity byte-identical to the backup's, and the service healthy. */
    private void check(long id, StoredArchive archive, SshTarget target, boolean healthRequired, String actor,
            String action) {
        step(id, "check");
        NodeProbe.Probe after = probe.probe(target);
        boolean identity = after.fingerprint() != null && after.fingerprint().equals(archive.identityFingerprint());
        boolean healthy = after.healthy();
        String failure = !after.reachable() ? target.name() + " did not answer after the restore: " + after.failure()
                : !identity ? target.name() + " holds identity " + after.fingerprint() + " after the restore, not the"
                        + " backup's " + archive.identityFingerprint()
                : healthRequired && !healthy ? target.name() + " is not healthy after the restore (service "
                        + after.serviceState() + ")" : null;
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update backup_restore set fingerprint_after = :fp, healthy = :healthy, state ="
                    + " :state, step = 'done', failure = :failure, finished_at = now() where id = :id")
                    .setParameter("fp", text(after.fingerprint())).setParameter("healthy", healthy)
                    .setParameter("state", failure == null ? "verified" : "failed")
                    .setParameter("failure", text(failure)).setParameter("id", id).executeUpdate();
            audit.record(actor, action, archive.archiveName(), List.of(target.name()), failure == null ? AuditLog.OK
                    : AuditLog.FAILED, Map.of("restore", id, "identityMatches", identity, "healthy", healthy,
                            "why", String.valueOf(failure)));
        });
    }

    /** Runs one step list; anything that stops it marks the record failed, with why, and is audited. */
    private void work(long id, Runnable body) {
        // the inventory and run reads outside a transaction need a request context on this worker thread
        var context = io.quarkus.arc.Arc.container().requestContext();
        context.activate();
        try {
            body.run();
        } catch (RuntimeException e) {
            LOG.warnf("restore %d failed: %s", id, e.getMessage());
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            try {
                QuarkusTransaction.requiringNew().run(() -> {
                    SqlRow row = SqlRow.single(SqlRow.query(em, "select kind, archive_name, node_name, started_by,"
                            + " step from backup_restore where id = :id").setParameter("id", id));
                    em.createNativeQuery("update backup_restore set state = 'failed', failure = :why, finished_at ="
                            + " now() where id = :id").setParameter("why", why).setParameter("id", id)
                            .executeUpdate();
                    audit.record(row.text("started_by"), "backup." + row.text("kind") + ".check",
                            row.text("archive_name"), List.of(row.text("node_name")), AuditLog.FAILED,
                            Map.of("restore", id, "step", row.text("step"), "why", why));
                });
            } catch (RuntimeException again) {
                LOG.errorf(again, "cannot record the failure of restore %d", id);
            }
        } finally {
            context.terminate();
        }
    }

    /** Puts the archive into the node's backup directory as the tool's own backups lie there. */
    private void upload(long id, StoredArchive archive, Node node) {
        step(id, "upload");
        String directory = QuarkusTransaction.requiringNew().call(() -> SqlRow.list(SqlRow.query(em, "select path"
                + " from backup_pull where node_id = :node and state = 'stored' order by id desc limit 1")
                .setParameter("node", archive.nodeId() == null ? -1L : archive.nodeId())).stream()
                .map(row -> row.text("path")).map(path -> path.substring(0, path.lastIndexOf('/'))).findFirst()
                .orElse(DEFAULT_DIRECTORY));
        // decrypted straight into the channel as it is sent, never whole in memory (opened again should the exec be
        // retried on a fresh session); a stored copy that does not decrypt ends the exec before the node sees EOF
        ExecResult upload = NodeProbe.await(engine.exec(target(node), uploadCommand(directory, archive),
                () -> backups.open(archive.id()), engine.settings().limits().withExecTimeout(config.pullTimeout())));
        if (!upload.ok()) {
            throw new IllegalStateException("could not put " + archive.archiveName() + " on " + node.name + ": "
                    + upload.message() + " " + upload.stderrTail(200));
        }
    }

    /** Written to a temp name, its hash checked on the node, then moved into place beside its .sha256 file. */
    static String uploadCommand(String directory, StoredArchive archive) {
        String sha = archive.sha256();
        String name = ShellQuoting.quote(archive.archiveName());
        return "set -e; umask 077; d=\"${POP_ROOT:-}\"" + ShellQuoting.quote(directory) + "; mkdir -p \"$d\"; t=$("
                + "mktemp \"$d\"/.restore.XXXXXX); cat > \"$t\"; s=$(sha256sum \"$t\" | cut -d' ' -f1); if [ \"$s\""
                + " != " + sha + " ]; then rm -f \"$t\"; echo \"hash mismatch: $s\" >&2; exit 198; fi; mv -f \"$t\""
                + " \"$d\"/" + name + "; printf '%s  %s\\n' " + sha + " " + name + " > \"$d\"/" + name + ".sha256";
    }

    private Run plan(OperationCall call, String node, String actor) {
        return QuarkusTransaction.requiringNew().call(() -> planner.plan(call, NodeSelection.named(List.of(node)),
                actor));
    }

    private void requireOk(long runId, String what) {
        String failure = outcome(runId);
        if (failure != null) {
            throw new IllegalStateException(what + " failed (run " + runId + "): " + failure);
        }
    }

    /** Waits for a one-node run; answers null when its target succeeded, else why not. */
    private String outcome(long runId) {
        Instant deadline = Instant.now().plus(RUN_WAIT);
        RunView run = runs.get(runId).orElseThrow();
        while (run.isRunningState()) {
            if (Instant.now().isAfter(deadline)) {
                return "still running after " + RUN_WAIT.toMinutes() + " min";
            }
            try {
                Thread.sleep(200); // a background worker polling the run's row; nothing to be woken by
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
            run = runs.get(runId).orElseThrow();
        }
        if (run.count("ok") == 1) {
            return null;
        }
        return runs.targets(runId, null, 0, 1).stream().findFirst().map(t -> t.failureKind() + ": "
                + t.failureMessage()).orElse("the run had no target (is the node enabled?)");
    }

    private void step(long id, String step) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_restore set step = :step"
                + " where id = :id").setParameter("step", step).setParameter("id", id).executeUpdate());
    }

    private void setRun(long id, String column, long runId) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_restore set " + column
                + " = :run where id = :id").setParameter("run", runId).setParameter("id", id).executeUpdate());
    }

    private long insert(String kind, StoredArchive archive, Long nodeId, String nodeName, Long oldNodeId,
            String oldNodeName, String before, List<String> warnings, String actor) {
        return ((Number) em.createNativeQuery("insert into backup_restore (kind, archive_id, archive_name, node_id,"
                + " node_name, old_node_id, old_node_name, expected_fingerprint, fingerprint_before, warnings,"
                + " started_by) values (:kind, :archive, :name, :node, :nodeName, :old, :oldName, :expected, :before,"
                + " :warnings, :actor) returning id").setParameter("kind", kind).setParameter("archive", archive.id())
                .setParameter("name", archive.archiveName())
                .setParameter("node", new TypedParameterValue<>(StandardBasicTypes.LONG, nodeId))
                .setParameter("nodeName", nodeName)
                .setParameter("old", new TypedParameterValue<>(StandardBasicTypes.LONG, oldNodeId))
                .setParameter("oldName", text(oldNodeName)).setParameter("expected",
                        String.valueOf(archive.identityFingerprint())).setParameter("before", text(before))
                .setParameter("warnings", String.join("\n", warnings)).setParameter("actor", actor)
                .getSingleResult()).longValue();
    }

    // --- helpers ---

    private StoredArchive archive(long archiveId) {
        StoredArchive archive = backups.find(archiveId).orElseThrow(() -> new NotFoundProblem("backup", archiveId));
        if (archive.identityFingerprint() == null) {
            throw new ConflictProblem("no-identity", archive.archiveName() + " holds no identity to restore");
        }
        return archive;
    }

    private Node ownNode(StoredArchive archive) {
        if (archive.nodeId() == null) {
            throw new ConflictProblem("node-gone", archive.archiveName() + " belongs to a node no longer in the"
                    + " inventory; restore it onto a host by migrating it (POST /api/v1/backups/"
                    + archive.id() + "/migrate)");
        }
        return QuarkusTransaction.requiringNew().call(() -> Node.<Node>findById(archive.nodeId()));
    }

    private List<String> replaces(long archiveId) {
        try (InputStream in = backups.open(archiveId)) {
            return ArchiveInspector.inspect(in).files().stream().filter(name -> name.startsWith("identity/")
                    || name.startsWith("config/") || name.equals("wallet.txt")).toList();
        } catch (BackupStore.Unavailable e) {
            throw new StoreUnavailableProblem(e);
        } catch (IOException | ArchiveInspector.Refused e) {
            throw new ConflictProblem("backup-unreadable", "the stored backup " + archiveId + " does not open: "
                    + e.getMessage() + "; run a verification and pick another");
        }
    }

    private void checkConfirmation(RestorePreview preview, String confirm, String actor) {
        if (confirm == null || confirm.isBlank()) {
            throw new ConflictProblem("confirmation-required", "preview first (GET .../" + preview.kind()
                    + "-preview) and send its confirm value; nothing was changed");
        }
        if (!MessageDigest.isEqual(confirm.getBytes(StandardCharsets.UTF_8),
                preview.confirm().getBytes(StandardCharsets.UTF_8))) {
            QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "backup." + preview.kind(),
                    preview.archiveName(), List.of(preview.target()), AuditLog.REFUSED, Map.of("reason",
                            "stale confirmation")));
            throw new ConflictProblem("confirmation-stale", "what " + preview.target() + " holds changed since the"
                    + " preview (or the confirmation is for another backup or host); preview again");
        }
    }

    /** The migration's target: an inventory node other than the backup's own. */
    /** The node as stored now (a read of its own, never an entity a longer-lived context kept). */
    private Optional<NodeView> fresh(long id) {
        return QuarkusTransaction.requiringNew().call(() -> nodes.get(id));
    }

    private static Node newHost(StoredArchive archive, String to) {
        if (to == null || to.isBlank()) {
            throw new BadRequestProblem("invalid-new-host", "name the new host's inventory node (add it to the"
                    + " inventory first, so its host key is pinned as every node's is)");
        }
        Node node = QuarkusTransaction.requiringNew().call(() -> Node.<Node>find("name", to.strip())
                .firstResultOptional().orElseThrow(() -> new NotFoundProblem("node", to)));
        if (node.id.equals(archive.nodeId())) {
            throw new BadRequestProblem("invalid-new-host", to + " is the backup's own node: that is a restore");
        }
        return node;
    }

    private static NodeInput input(NodeView n, boolean enabled, String notes, List<String> groups,
            java.util.SortedMap<String, String> tags, String region, String wallet) {
        return new NodeInput(n.name(), n.host(), n.sshPort(), n.sshUser(), n.credentialRef(), enabled, region, wallet,
                notes, n.jump(), n.nodeTool(), n.nodeToolPath(), groups, tags.entrySet().stream().map(e -> e.getValue() == null || e.getValue().isEmpty()
                        ? e.getKey() : e.getKey() + "=" + e.getValue()).toList(), n.version());
    }

    private static SshTarget target(Node node) {
        return QuarkusTransaction.joiningExisting().call(() -> NodeEndpoints.of(node)).orElseThrow(
                () -> new ConflictProblem("jump-host-missing", node.name + "'s jump host " + node.jump
                        + " is not in the inventory"));
    }

    private static String note(String notes, String line) {
        return notes == null || notes.isBlank() ? line : notes + "\n" + line;
    }

    private static TypedParameterValue<String> text(String value) {
        return new TypedParameterValue<>(StandardBasicTypes.STRING, value);
    }

    private static String token(Object... parts) {
        StringBuilder material = new StringBuilder();
        for (Object part : parts) {
            material.append(part).append('\u0000');
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(material.toString()
                    .getBytes(StandardCharsets.UTF_8))).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
    }
}
