package io.popfleet.rollout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.ControllerConfig;
import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.api.ProblemException;
import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/**
 * The release registry: an operator registers a node binary version once, the controller computes its sha256,
 * keeps the file under {@code <data-dir>/releases/<sha256>} and pins the hash in PostgreSQL. Nodes never fetch
 * anything: the controller ships the file itself ({@link ReleaseShipper}).
 */
@ApplicationScoped
public class ReleaseService {

    private static final String VERSION = "^[0-9]{1,4}(\\.[0-9]{1,4}){1,3}([.-][A-Za-z0-9]{1,20})?$";

    @Inject
    EntityManager em;

    @Inject
    RolloutConfig config;

    @Inject
    ControllerConfig controller;

    @Inject
    AuditLog audit;

    /**
     * Reads {@code body} to its end (at most the configured size), hashing as it writes to a temporary file, then
     * moves it into place under its hash and registers it. A refused upload leaves no file and no row.
     */
    @Transactional
    public Release register(String version, InputStream body, String actor) {
        if (version == null || !version.strip().matches(VERSION)) {
            throw new BadRequestProblem("invalid-version", "version must look like 0.2.8, not \"" + version + "\"");
        }
        String wanted = version.strip();
        if (find(wanted).isPresent()) {
            throw new ConflictProblem("release-exists", "version " + wanted + " is registered already; a version's"
                    + " binary never changes once pinned", List.of());
        }
        Path dir = directory();
        Path staged = null;
        try {
            Files.createDirectories(dir);
            staged = Files.createTempFile(dir, ".upload-", ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size = copyCapped(body, staged, digest);
            if (size == 0) {
                throw new BadRequestProblem("empty-release", "the uploaded binary is empty");
            }
            String sha = HexFormat.of().formatHex(digest.digest());
            Optional<Release> same = bySha(sha);
            if (same.isPresent()) {
                throw new ConflictProblem("release-exists", "this binary is registered already as version "
                        + same.get().version(), List.of());
            }
            Files.move(staged, dir.resolve(sha), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            staged = null;
            long id = ((Number) em.createNativeQuery("select nextval('rollout_release_seq')").getSingleResult())
                    .longValue();
            em.createNativeQuery("insert into rollout_release (id, version, sha256, size_bytes, uploaded_by)"
                    + " values (?1, ?2, ?3, ?4, ?5)").setParameter(1, id).setParameter(2, wanted)
                    .setParameter(3, sha).setParameter(4, size).setParameter(5, actor).executeUpdate();
            audit.record(actor, "release.register", "release " + wanted, AuditLog.OK,
                    Map.of("version", wanted, "sha256", sha, "bytes", size));
            return find(wanted).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the release under " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (staged != null) {
                try {
                    Files.deleteIfExists(staged);
                } catch (IOException ignored) {
                    // a stray .part file is harmless and the next upload has its own name
                }
            }
        }
    }

    @Transactional
    public List<Release> list() {
        return SqlRow.list(SqlRow.query(em, "select * from rollout_release order by created_at desc, id desc"))
                .stream().map(ReleaseService::release).toList();
    }

    @Transactional
    public Optional<Release> find(String version) {
        return SqlRow.list(SqlRow.query(em, "select * from rollout_release where version = :v")
                .setParameter("v", version)).stream().map(ReleaseService::release).findFirst();
    }

    public Release get(String version) {
        return find(version).orElseThrow(() -> new NotFoundProblem("release", version));
    }

    /** The release's bytes, checked against the pinned hash: a file changed on disk is never shipped. */
    public byte[] content(Release release) {
        Path file = directory().resolve(release.sha256());
        try {
            byte[] bytes = Files.readAllBytes(file);
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
            if (!sha.equals(release.sha256())) {
                throw new ProblemException("release-corrupt", "Release file changed", 409, "the file of release "
                        + release.version() + " (" + file + ") no longer has its pinned sha256; nothing is shipped",
                        List.of());
            }
            return bytes;
        } catch (IOException e) {
            throw new ProblemException("release-missing", "Release file missing", 409, "the file of release "
                    + release.version() + " cannot be read (" + file + "): " + e.getMessage(), List.of());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    Path directory() {
        return config.releaseDir().map(Path::of).orElseGet(() -> Path.of(controller.dataDir()
                .orElse(System.getProperty("user.home") + "/.popfleet"), "releases"));
    }

    private Optional<Release> bySha(String sha) {
        return SqlRow.list(SqlRow.query(em, "select * from rollout_release where sha256 = :s").setParameter("s", sha))
                .stream().map(ReleaseService::release).findFirst();
    }

    private long copyCapped(InputStream body, Path target, MessageDigest digest) throws IOException {
        long max = config.maxReleaseBytes();
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = new DigestOutputStream(Files.newOutputStream(target), digest)) {
            for (int n = body.read(buffer); n >= 0; n = body.read(buffer)) {
                total += n;
                if (total > max) {
                    throw new ProblemException("release-too-large", "Release too large", 413, "a release may be at"
                            + " most " + max + " bytes (popfleet.rollout.max-release-bytes); nothing was kept",
                            List.of());
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    private static Release release(SqlRow row) {
        return new Release(row.whole("id"), row.text("version"), row.text("sha256"), row.whole("size_bytes"),
                row.text("uploaded_by"), row.instant("created_at"));
    }
}
