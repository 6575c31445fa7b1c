package io.popfleet.ssh;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.popfleet.api.FailureKind;

/**
 * Runs the node tool content-addressed: one exec per operation while the node holds
 * {@code ~/.cache/popfleet/pop-<sha256>}; when it does not, one more exec carries the tool on its stdin, checks its
 * hash on the node, moves it into place and runs the operation in the same shell, so a node without the tool costs
 * two round trips, not three (probe, upload, run again). The node needs nothing but bash and coreutils.
 */
public final class ScriptShipper {

    /** Printed (with exit 197) only by our own wrapper, so a tool that happens to exit 197 is not re-run. */
    static final String MISSING_MARKER = "popfleet:tool-missing";
    static final int MISSING_EXIT = 197;
    /** Printed (with exit 198) only when the upload itself failed, so the tool's own exit 198 is not mistaken. */
    static final String UPLOAD_FAILED_MARKER = "popfleet:upload-failed";
    static final int UPLOAD_FAILED_EXIT = 198;

    private final SshEngine engine;

    public ScriptShipper(SshEngine engine) {
        this.engine = engine;
    }

    /** The result of one operation, and whether the tool had to be uploaded first. */
    public record ShippedRun(ExecResult result, boolean uploaded) {
    }

    public CompletableFuture<ShippedRun> run(SshTarget target, NodeToolBundle tool, List<String> arguments,
            ExecLimits limits) {
        return run(target, tool, arguments, limits, false);
    }

    /**
     * @param mutating the operation changes the node: it waits until no other mutating operation of this
     *        controller runs on the node, and holds the node for the whole run, an upload included
     */
    public CompletableFuture<ShippedRun> run(SshTarget target, NodeToolBundle tool, List<String> arguments,
            ExecLimits limits, boolean mutating) {
        return mutating ? engine.exclusive(target.nodeId(), () -> shipAndRun(target, tool, arguments, limits))
                : shipAndRun(target, tool, arguments, limits);
    }

    private CompletableFuture<ShippedRun> shipAndRun(SshTarget target, NodeToolBundle tool, List<String> arguments,
            ExecLimits limits) {
        String command = runCommand(tool, arguments);
        return engine.exec(target, command, new byte[0], limits).thenCompose(first -> {
            if (!missing(first)) {
                return CompletableFuture.completedFuture(new ShippedRun(first, false));
            }
            return engine.exec(target, uploadAndRunCommand(tool, arguments), tool.content(), limits)
                    .thenApply(shipped -> new ShippedRun(uploadFailure(shipped), true));
        });
    }

    static String runCommand(NodeToolBundle tool, List<String> arguments) {
        String path = tool.remotePath();
        return "[ -r " + path + " ] || { echo " + MISSING_MARKER + " >&2; exit " + MISSING_EXIT + "; }; exec "
                + ShellQuoting.command("bash " + path, arguments);
    }

    /**
     * Writes stdin to a temp file, checks its hash there, moves it into place (atomically), then runs the tool in
     * the same exec. Every step is an explicit {@code &&}/{@code ||} (not {@code set -e}, which a {@code ||} list
     * switches off) and any failure of the upload prints {@link #UPLOAD_FAILED_MARKER}: the tool never runs from a
     * partial or altered file, and an upload failure is never confused with the tool's own exit code.
     */
    static String uploadAndRunCommand(NodeToolBundle tool, List<String> arguments) {
        String sha = tool.sha256();
        String failed = "{ rm -f \"$t\"; echo " + UPLOAD_FAILED_MARKER + " \"$1\" >&2; exit " + UPLOAD_FAILED_EXIT
                + "; }";
        return "umask 077; d=\"$HOME\"/.cache/popfleet; t=; up() " + failed + "; "
                + "mkdir -p \"$d\" || up mkdir; t=$(mktemp \"$d\"/.upload.XXXXXX) || up mktemp; "
                + "cat > \"$t\" || up write; s=$(sha256sum \"$t\") || up sha256sum; s=${s%% *}; "
                + "[ \"$s\" = " + sha + " ] || up \"hash mismatch: $s\"; "
                + "chmod 500 \"$t\" && mv -f \"$t\" \"$d\"/pop-" + sha + " || up move; "
                + "exec " + ShellQuoting.command("bash " + tool.remotePath(), arguments);
    }

    private static boolean missing(ExecResult result) {
        return result.exitCode() != null && result.exitCode() == MISSING_EXIT
                && result.stderr().trim().equals(MISSING_MARKER);
    }

    private static ExecResult uploadFailure(ExecResult shipped) {
        if (shipped.exitCode() != null && shipped.exitCode() == UPLOAD_FAILED_EXIT
                && shipped.stderr().startsWith(UPLOAD_FAILED_MARKER)) {
            String why = shipped.stderr().substring(UPLOAD_FAILED_MARKER.length()).trim();
            return new ExecResult(shipped.exitCode(), shipped.stdout(), shipped.stderr(), false, false,
                    shipped.timings(), FailureKind.BAD_OUTPUT, "the node tool could not be uploaded (" + why + ")");
        }
        return shipped;
    }
}
