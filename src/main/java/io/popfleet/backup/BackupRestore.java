package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.inventory.Node;
import io.popfleet.ops.OperationCatalog;
import io.popfleet.runs.NodeSelection;
import io.popfleet.runs.Run;
import io.popfleet.runs.RunPlanner;
import io.popfleet.security.AuditLog;
import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.ShellQuoting;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * Puts a stored archive back on its node: uploads it into the node's backup directory (checked there against its
 * sha256, then moved into place with its {@code .sha256} file), then starts a run of {@code pop restore NAME}, which
 * verifies it again and restores through the tool's own safety steps (docs/node-json.md {@code restore}).
 */
@ApplicationScoped
public class BackupRestore {

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
    OperationCatalog catalog;

    @Inject
    AuditLog audit;

    /** Answers the restore run; the archive is on the node when it starts. */
    public Run restore(long archiveId, String actor) {
        StoredArchive archive = backups.find(archiveId).orElseThrow(() -> new NotFoundProblem("backup", archiveId));
        if (archive.nodeId() == null) {
            throw new ConflictProblem("node-gone", archive.archiveName() + " belongs to a node no longer in the"
                    + " inventory; restoring it elsewhere is a migration, which is not built yet");
        }
        Node node = QuarkusTransaction.requiringNew().call(() -> Node.<Node>findById(archive.nodeId()));
        String directory = QuarkusTransaction.requiringNew().call(() -> SqlRow.list(SqlRow.query(em, "select path"
                + " from backup_pull where node_id = :node and state = 'stored' order by id desc limit 1")
                .setParameter("node", archive.nodeId())).stream().map(row -> row.text("path"))
                .map(path -> path.substring(0, path.lastIndexOf('/'))).findFirst().orElse("/var/backups/pop"));
        byte[] plain;
        try (InputStream in = backups.open(archiveId)) {
            // an archive is a few KiB, at most max-archive-bytes: the upload goes as one stdin
            plain = in.readNBytes(config.maxArchiveBytes() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stored backup " + archiveId, e);
        }
        SshTarget target = new SshTarget(node.id, node.name, node.host, node.sshPort, node.sshUser,
                node.credentialRef);
        ExecResult upload = await(engine.exec(target, uploadCommand(directory, archive), plain,
                engine.settings().limits().withExecTimeout(config.pullTimeout())));
        if (!upload.ok()) {
            QuarkusTransaction.requiringNew().run(() -> audit.record(actor, "backup.restore", archive.archiveName(),
                    List.of(node.name), AuditLog.FAILED, Map.of("step", "upload", "why", upload.message()
                            + " " + upload.stderrTail(200))));
            throw new ConflictProblem("restore-upload-failed", "could not put " + archive.archiveName() + " on "
                    + node.name + ": " + upload.message());
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            audit.record(actor, "backup.restore", archive.archiveName(), List.of(node.name), AuditLog.OK,
                    Map.of("sha256", archive.sha256(), "archive", archiveId));
            return planner.plan(catalog.call("restore", List.of(archive.archiveName()), Map.of()),
                    NodeSelection.named(List.of(node.name)), actor);
        });
    }

    /** Written to a temp name, its hash checked on the node, then moved into place beside its .sha256 file. */
    static String uploadCommand(String directory, StoredArchive archive) {
        String sha = archive.sha256();
        String name = ShellQuoting.quote(archive.archiveName());
        return "set -e; umask 077; d=\"${POP_ROOT:-}\"" + ShellQuoting.quote(directory) + "; t=$(mktemp \"$d\"/"
                + ".restore.XXXXXX); cat > \"$t\"; s=$(sha256sum \"$t\" | cut -d' ' -f1); if [ \"$s\" != " + sha
                + " ]; then rm -f \"$t\"; echo \"hash mismatch: $s\" >&2; exit 198; fi; mv -f \"$t\" \"$d\"/" + name
                + "; printf '%s  %s\\n' " + sha + " " + name + " > \"$d\"/" + name + ".sha256";
    }

    private static ExecResult await(java.util.concurrent.CompletableFuture<ExecResult> future) {
        try {
            return future.get(Duration.ofMinutes(5).toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while uploading a backup", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("upload of a backup did not finish: " + e, e);
        }
    }
}
