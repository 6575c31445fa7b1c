package io.popfleet.rollout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
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

import io.quarkus.narayana.jta.QuarkusTransaction;

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

    @Inject
    ReleaseFetcher fetcher;

    /**
     * Reads {@code body} to its end (at most the configured size), hashing as it writes to a temporary file, then
     * moves it into place under its hash and registers it. A refused upload leaves no file and no row.
     */
    @Transactional
    public Release register(String version, InputStream body, String actor) {
        String wanted = unregistered(version);
        Staged staged = stage(body, null);
        try {
            if (staged.size() == 0) {
                throw new BadRequestProblem("empty-release", "the uploaded binary is empty");
            }
            return pin(wanted, staged, actor, Map.of());
        } finally {
            staged.delete();
        }
    }

    /**
     * Fetches the binary at {@code url} ({@link ReleaseFetcher}: checked scheme and addresses, bounded redirects,
     * one deadline), hashing it as it streams to a temporary file under the release directory, and registers it
     * exactly as an upload. With {@code expectedSha256} a binary with any other hash is refused. Every refusal
     * leaves no file and no row; the fetch itself holds no database connection.
     */
    public Release registerFrom(String version, String url, String expectedSha256, String actor) {
        String expected = null;
        if (expectedSha256 != null && !expectedSha256.isBlank()) {
            expected = expectedSha256.strip().toLowerCase(java.util.Locale.ROOT);
            if (!expected.matches("^[0-9a-f]{64}$")) {
                throw new BadRequestProblem("invalid-sha256", "sha256 must be 64 hexadecimal digits");
            }
        }
        URI uri = fetcher.parse(url);
        String wanted = QuarkusTransaction.joiningExisting().call(() -> unregistered(version));
        ReleaseFetcher.Fetched fetched = fetcher.open(uri);
        Staged staged;
        try (InputStream body = fetched.body()) {
            staged = stage(body, uri);
        } catch (IOException e) {
            throw ReleaseFetcher.failed(uri, "broke off while sending the binary: " + e.getMessage());
        }
        try {
            if (staged.size() == 0) {
                throw ReleaseFetcher.failed(uri, "answered with an empty body");
            }
            if (expected != null && !expected.equals(staged.sha256())) {
                throw new ProblemException("release-checksum-mismatch", "Release checksum mismatch", 422, "the binary"
                        + " fetched (" + staged.size() + " bytes) has sha256 " + staged.sha256() + ", not the "
                        + expected + " given; nothing was stored", List.of());
            }
            Map<String, Object> source = new java.util.LinkedHashMap<>();
            source.put("url", withoutQuery(uri));
            if (!fetched.from().equals(uri)) {
                source.put("redirectedTo", withoutQuery(fetched.from()));
            }
            return QuarkusTransaction.joiningExisting().call(() -> pin(wanted, staged, actor, source));
        } finally {
            staged.delete();
        }
    }

    /** A binary hashed into a temporary file beside the releases, not yet registered. */
    private record Staged(Path file, String sha256, long size) {
        void delete() {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a stray .part file is harmless and the next upload has its own name
            }
        }
    }

    private String unregistered(String version) {
        if (version == null || !version.strip().matches(VERSION)) {
            throw new BadRequestProblem("invalid-version", "version must look like 0.2.8, not \"" + version + "\"");
        }
        String wanted = version.strip();
        if (find(wanted).isPresent()) {
            throw new ConflictProblem("release-exists", "version " + wanted + " is registered already; a version's"
                    + " binary never changes once pinned", List.of());
        }
        return wanted;
    }

    /**
     * Copies {@code body} into a new temporary file, hashing it; the file is gone again if this fails. A read
     * error of a fetched body ({@code from} set) is the fetch's fault, not the controller's.
     */
    private Staged stage(InputStream body, URI from) {
        Path dir = directory();
        Path staged = null;
        try {
            Files.createDirectories(dir);
            staged = Files.createTempFile(dir, ".upload-", ".part");
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            long size;
            try {
                size = copyCapped(body, staged, digest);
            } catch (IOException e) {
                if (from != null && !(e instanceof java.nio.file.FileSystemException)) {
                    throw ReleaseFetcher.failed(from, "broke off while sending the binary, or took longer than the"
                            + " fetch timeout (popfleet.rollout.fetch-timeout)");
                }
                throw e;
            }
            Staged done = new Staged(staged, HexFormat.of().formatHex(digest.digest()), size);
            staged = null;
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the release under " + dir, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } finally {
            if (staged != null) {
                new Staged(staged, "", 0).delete();
            }
        }
    }

    private Release pin(String wanted, Staged staged, String actor, Map<String, Object> source) {
        Optional<Release> same = bySha(staged.sha256());
        if (same.isPresent()) {
            throw new ConflictProblem("release-exists", "this binary is registered already as version "
                    + same.get().version(), List.of());
        }
        Path dir = directory();
        try {
            Files.move(staged.file(), dir.resolve(staged.sha256()), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store the release under " + dir, e);
        }
        long id = ((Number) em.createNativeQuery("select nextval('rollout_release_seq')").getSingleResult())
                .longValue();
        em.createNativeQuery("insert into rollout_release (id, version, sha256, size_bytes, uploaded_by)"
                + " values (?1, ?2, ?3, ?4, ?5)").setParameter(1, id).setParameter(2, wanted)
                .setParameter(3, staged.sha256()).setParameter(4, staged.size()).setParameter(5, actor)
                .executeUpdate();
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("version", wanted);
        details.put("sha256", staged.sha256());
        details.put("bytes", staged.size());
        details.putAll(source);
        audit.record(actor, "release.register", "release " + wanted, AuditLog.OK, details);
        return find(wanted).orElseThrow();
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
                    throw tooLarge(max);
                }
                out.write(buffer, 0, n);
            }
        }
        return total;
    }

    /** A URL for the audit log: a query often carries a signature or a token (a pre-signed download), never kept. */
    private static String withoutQuery(URI uri) {
        String scheme = uri.getScheme() + "://" + uri.getRawAuthority() + (uri.getRawPath() == null ? ""
                : uri.getRawPath());
        return uri.getRawQuery() == null ? scheme : scheme + "?…";
    }

    static ProblemException tooLarge(long max) {
        return new ProblemException("release-too-large", "Release too large", 413, "a release may be at most " + max
                + " bytes (popfleet.rollout.max-release-bytes); nothing was kept", List.of());
    }

    private static Release release(SqlRow row) {
        return new Release(row.whole("id"), row.text("version"), row.text("sha256"), row.whole("size_bytes"),
                row.text("uploaded_by"), row.instant("created_at"));
    }
}
