package io.popfleet.rollout;

import java.util.concurrent.CompletableFuture;

import io.popfleet.ssh.ExecLimits;
import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * Ships a release to a node over SSH, content-addressed like the node tool itself: to the login's
 * {@code ~/.cache/popfleet/release-<sha256>}, where {@code pop update --shipped --sha256 <sha256>} takes it. A
 * node that holds the file already gets nothing; otherwise the bytes go as the stdin of one exec, land in a
 * temporary file, are hashed on the node, and only then move into place (atomically). Nodes need no internet
 * access and no tool beyond coreutils.
 */
public final class ReleaseShipper {

    /** Exit status of our own upload command when the bytes that arrived do not hash to the release's sha256. */
    static final int HASH_MISMATCH = 198;

    private final SshEngine engine;

    public ReleaseShipper(SshEngine engine) {
        this.engine = engine;
    }

    /** What shipping did: the node held the release already, received it now, or the reason it did not. */
    public record Shipment(boolean ok, boolean uploaded, String problem) {
    }

    public CompletableFuture<Shipment> ship(SshTarget target, Release release, byte[] content, ExecLimits limits) {
        return engine.exec(target, presentCommand(release.sha256()), new byte[0], limits).thenCompose(present -> {
            if (present.ok()) {
                return CompletableFuture.completedFuture(new Shipment(true, false, null));
            }
            if (present.failure() != null && present.exitCode() == null) {
                return CompletableFuture.completedFuture(new Shipment(false, false, problem(present)));
            }
            return engine.exec(target, uploadCommand(release.sha256()), content, limits)
                    .thenApply(upload -> upload.ok() ? new Shipment(true, true, null)
                            : new Shipment(false, true, problem(upload)));
        });
    }

    static String presentCommand(String sha) {
        return "[ -r \"$HOME\"/.cache/popfleet/release-" + sha + " ]";
    }

    static String uploadCommand(String sha) {
        return "set -e; umask 077; d=\"$HOME\"/.cache/popfleet; mkdir -p \"$d\"; "
                + "t=$(mktemp \"$d\"/.release.XXXXXX); cat > \"$t\"; "
                + "s=$(sha256sum \"$t\" | cut -d' ' -f1); "
                + "if [ \"$s\" != " + sha + " ]; then rm -f \"$t\"; echo \"hash mismatch: $s\" >&2; exit "
                + HASH_MISMATCH + "; fi; chmod 500 \"$t\"; mv -f \"$t\" \"$d\"/release-" + sha;
    }

    private static String problem(ExecResult result) {
        if (result.exitCode() != null && result.exitCode() == HASH_MISMATCH) {
            return "the shipped binary failed its sha256 check on the node: " + result.stderrTail(200).strip();
        }
        String kind = result.failure() == null ? "exit " + result.exitCode() : result.failure().code();
        return "shipping the release failed (" + kind + "): " + (result.message() == null
                ? result.stderrTail(200).strip() : result.message());
    }
}
