package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;
import org.jboss.logging.Logger;

import io.quarkus.narayana.jta.QuarkusTransaction;

import io.popfleet.database.SqlRow;

/**
 * The verification's test restore (pgBackRest's restore test, restic's {@code check} taken one step further): a
 * sample of stored archives is restored with the real node tool ({@code pop restore NAME --migrate}) into a scratch
 * simulated node on the controller (a pop-sim layout without an identity), and the identity it ends up with must be
 * byte-identical to the one recorded at the pull. A failure marks the archive {@code verify_ok = false}, so its node
 * gets the {@code backup_corrupt} alert and the copy no longer counts as good.
 *
 * <p>The scratch node lives in a 0700 directory beside the store and is deleted after each archive: the identity is
 * plaintext there for the seconds the restore takes.
 */
@ApplicationScoped
public class ScratchRestore {

    private static final Logger LOG = Logger.getLogger(ScratchRestore.class);
    private static final long TIMEOUT_SECONDS = 120;

    /** What one sample found. */
    public record Sample(int restored, int failed) {
    }

    @Inject
    EntityManager em;

    @Inject
    BackupService backups;

    @Inject
    BackupStore store;

    @Inject
    BackupConfig config;

    /** Test-restores up to the configured number of good archives, those tested longest ago (or never) first. */
    public Sample sample() {
        return sample(config.testRestoreSample());
    }

    public Sample sample(int size) {
        if (size <= 0) {
            return new Sample(0, 0);
        }
        List<SqlRow> picked = QuarkusTransaction.requiringNew().call(() -> SqlRow.list(SqlRow.query(em,
                "select id, archive_name, identity_fingerprint from backup_archive where verify_ok and"
                        + " identity_fingerprint is not null order by test_restored_at nulls first, made_at desc"
                        + " limit :size").setParameter("size", size)));
        if (picked.isEmpty()) {
            return new Sample(0, 0);
        }
        Path tools;
        try {
            tools = unpackTools();
        } catch (IOException e) {
            LOG.warnf("no test restore: %s", e.getMessage());
            return new Sample(0, 0);
        }
        int failed = 0;
        try {
            for (SqlRow row : picked) {
                String failure = restoreOne(tools, row.whole("id"), row.text("archive_name"),
                        row.text("identity_fingerprint"));
                record(row.whole("id"), failure);
                if (failure != null) {
                    failed++;
                }
            }
        } finally {
            deleteTree(tools);
        }
        return new Sample(picked.size(), failed);
    }

    /** Restores one archive into a fresh scratch node; answers null when its identity came back byte-identical. */
    String restoreOne(Path tools, long archiveId, String name, String fingerprint) {
        Path node = tools.resolve("node");
        try {
            deleteTree(node);
            String init = run(tools, node, tools.resolve("sim/pop-sim").toString(), "init", node.toString(), "--seed",
                    "1", "--unregistered");
            if (init != null) {
                return "the scratch node could not be laid out: " + init;
            }
            Path directory = node.resolve("var/backups/pop");
            Files.createDirectories(directory);
            String sha;
            try (InputStream in = backups.open(archiveId); OutputStream out = Files.newOutputStream(
                    directory.resolve(name))) {
                in.transferTo(out);
            }
            sha = ArchiveInspector.sha256(Files.readAllBytes(directory.resolve(name)));
            Files.writeString(directory.resolve(name + ".sha256"), sha + "  " + name + "\n", StandardCharsets.UTF_8);
            String restored = run(tools, node, tools.resolve("pop").toString(), "--json", "restore", name,
                    "--migrate");
            if (restored != null) {
                return "test restore failed: " + restored;
            }
            Path identity = node.resolve("var/lib/pop/node_info.json");
            if (!Files.exists(identity)) {
                return "test restore left no identity";
            }
            String actual = ArchiveInspector.sha256(Files.readAllBytes(identity));
            return actual.equals(fingerprint) ? null : "test restore gave identity " + actual + ", recorded "
                    + fingerprint;
        } catch (BackupStore.Unavailable e) {
            // the store is down, not this archive: nothing is recorded (BackupVerifier)
            throw new StoreUnavailableProblem(e);
        } catch (IOException e) {
            return "test restore failed: " + e.getMessage();
        } finally {
            run(tools, node, tools.resolve("sim/pop-sim").toString(), "kill", node.toString());
            deleteTree(node);
        }
    }

    private void record(long archiveId, String failure) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("update backup_archive set test_restored_at"
                + " = now(), test_restore_ok = :ok, test_restore_failure = :why, verify_ok = case when :ok then"
                + " verify_ok else false end, verify_failure = case when :ok then verify_failure else :why end"
                + " where id = :id").setParameter("ok", failure == null).setParameter("why",
                        new TypedParameterValue<>(StandardBasicTypes.STRING, failure)).setParameter("id", archiveId)
                .executeUpdate());
    }

    /** The node tool and the simulator from the controller jar, in a 0700 directory beside the store. */
    private Path unpackTools() throws IOException {
        Path base = store.workDirectory().resolve("scratch");
        Files.createDirectories(base);
        Path dir = Files.createTempDirectory(base, "restore-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        copy("node-tool/pop", dir.resolve("pop"));
        for (String sim : List.of("pop-sim", "pop-node-stub", "fake-systemctl", "fake-journalctl", "fake-ss",
                "fake-df")) {
            copy("node-tool/sim/" + sim, dir.resolve("sim").resolve(sim));
        }
        return dir;
    }

    private static void copy(String resource, Path target) throws IOException {
        Files.createDirectories(target.getParent());
        try (InputStream in = ScratchRestore.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException(resource + " is missing from the controller jar; rebuild with ./mvnw package");
            }
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().setExecutable(true, true);
    }

    /** Runs a command as the scratch node's own (POP_ROOT, its simulated systemctl first); null when it exited 0. */
    private static String run(Path tools, Path node, String... command) {
        List<String> line = new ArrayList<>(List.of("bash"));
        line.addAll(List.of(command));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).directory(tools.toFile());
        builder.environment().put("POP_ROOT", node.toString());
        builder.environment().put("HOME", node.toString());
        builder.environment().put("PATH", node.toAbsolutePath().resolve("sim/bin") + ":"
                + builder.environment().getOrDefault("PATH", "/usr/bin:/bin"));
        try {
            Process process = builder.start();
            byte[] output = process.getInputStream().readNBytes(64 * 1024);
            process.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "timed out after " + TIMEOUT_SECONDS + " s";
            }
            if (process.exitValue() == 0) {
                return null;
            }
            String text = new String(output, StandardCharsets.UTF_8).strip();
            return "exit " + process.exitValue() + ": " + (text.length() > 300 ? text.substring(text.length() - 300)
                    : text);
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private static void deleteTree(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warnf("could not delete the scratch node %s: %s", path, e.getMessage());
        }
    }
}
