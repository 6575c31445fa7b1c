package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;

import io.popfleet.ssh.ExecLimits;
import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.ShellQuoting;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * Fetches one archive a node reported: {@code cat} of its path as an exec stream, sealed with a fresh data key on
 * its way to the store (plaintext never touches the controller's disk, and is never held whole in memory), its
 * sha256 and size compared with the node's answer, and only then committed under its sha256. A connection that
 * drops midway, a wrong checksum or a refused archive leave nothing in the store.
 */
final class ArchivePull {

    /** What the node reported ({@code pop backup}), checked before anything is sent to it. */
    record Request(String archiveName, String path, String sha256, Long sizeBytes) {
    }

    /** A stored archive: its plaintext sha256, size, the bytes stored and its data key (to be wrapped). */
    record Stored(String sha256, long sizeBytes, long storedBytes, SecretKey dataKey, ArchiveInspector.Facts facts) {
    }

    static final class Failed extends Exception {
        private static final long serialVersionUID = 1L;
        final boolean refused;

        Failed(String message, boolean refused) {
            super(message, null, false, false);
            this.refused = refused;
        }
    }

    /** Plain archives only: the controller cannot check inside one the node encrypted with its own passphrase. */
    private static final Pattern NAME = Pattern.compile(
            "pop-backup-[0-9]{8}T[0-9]{6}Z(\\.[0-9]{1,4})?-[A-Za-z0-9._-]{1,80}\\.tar\\.gz");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private ArchivePull() {
    }

    /** Why the node's answer cannot be pulled, or null when it can. */
    static String problem(Request request) {
        if (request.archiveName() == null || !NAME.matcher(request.archiveName()).matches()) {
            return "archive name is not one the node tool makes (an encrypted .enc archive cannot be checked)";
        }
        if (request.sha256() == null || !SHA256.matcher(request.sha256()).matches()) {
            return "the node reported no sha256 for the archive";
        }
        String path = request.path();
        if (path == null || !path.startsWith("/") || path.contains("/../") || path.contains("/./")
                || !path.endsWith("/" + request.archiveName()) || ShellQuoting.problem(path).isPresent()) {
            return "archive path is not an absolute path ending in the archive's name";
        }
        return null;
    }

    /**
     * The exec that prints the archive. Paths in the node's answers are under the tool's {@code POP_ROOT} when that
     * is set (docs/node-json.md, the simulator); on a real node it is unset and the path is the path.
     */
    static String command(Request request) {
        return "exec cat -- \"${POP_ROOT:-}\"" + ShellQuoting.quote(request.path());
    }

    static CompletableFuture<Stored> pull(SshEngine engine, SshTarget target, Request request, BackupStore store,
            ExecLimits limits, java.util.concurrent.Executor worker) {
        String problem = problem(request);
        if (problem != null) {
            return CompletableFuture.failedFuture(new Failed(problem, true));
        }
        BackupStore.Incoming incoming;
        OutputStream sealing;
        DigestOutputStream plain;
        SecretKey dataKey = ArchiveCipher.newDataKey();
        try {
            incoming = store.create();
            sealing = ArchiveCipher.sealing(incoming.output(), dataKey);
            plain = new DigestOutputStream(sealing, sha256());
        } catch (IOException e) {
            return CompletableFuture.failedFuture(new Failed("cannot write to the backup store: " + e.getMessage(),
                    false));
        }
        Counting counted = new Counting(plain);
        return engine.stream(target, command(request), counted, limits).thenApplyAsync(result -> {
            try (incoming) {
                return finish(result, request, store, incoming, sealing, plain, counted.count, dataKey);
            } catch (IOException e) {
                throw new java.util.concurrent.CompletionException(new Failed("cannot store the archive: " + e, false));
            } catch (Failed e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        }, worker);
    }

    private static Stored finish(ExecResult result, Request request, BackupStore store,
            BackupStore.Incoming incoming, OutputStream sealing, DigestOutputStream plain, long size,
            SecretKey dataKey) throws IOException, Failed {
        if (!result.ok()) {
            throw new Failed("transfer failed (" + result.failure().name().toLowerCase(java.util.Locale.ROOT)
                    + "): " + result.message() + " after " + size + " bytes", false);
        }
        sealing.close();
        String sha = HexFormat.of().formatHex(plain.getMessageDigest().digest());
        if (!sha.equals(request.sha256())) {
            throw new Failed("the archive's sha256 is " + sha + ", the node reported " + request.sha256(), false);
        }
        if (request.sizeBytes() != null && request.sizeBytes() != size) {
            throw new Failed("the archive has " + size + " bytes, the node reported " + request.sizeBytes(), false);
        }
        if (store.exists(sha)) {
            // pulled before (a repeated answer): the stored copy and its key stand
            return new Stored(sha, size, -1, null, null);
        }
        long stored = incoming.commit(sha);
        try (InputStream in = ArchiveCipher.opening(store.open(sha).orElseThrow(), dataKey)) {
            return new Stored(sha, size, stored, dataKey, ArchiveInspector.inspect(in));
        } catch (ArchiveInspector.Refused refused) {
            store.delete(sha);
            throw new Failed(refused.getMessage(), true);
        } catch (IOException | RuntimeException e) {
            store.delete(sha);
            throw e;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static final class Counting extends OutputStream {
        private final OutputStream out;
        private long count;

        Counting(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] data, int off, int len) throws IOException {
            out.write(data, off, len);
            count += len;
        }
    }
}
