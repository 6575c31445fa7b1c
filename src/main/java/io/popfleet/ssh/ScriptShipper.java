package io.popfleet.ssh;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.popfleet.api.FailureKind;

/**
 * Runs the node tool content-addressed: one exec per operation while the node holds
 * {@code ~/.cache/popfleet/pop-<sha256>}; when it does not, the tool is uploaded once (exec with stdin), its hash
 * checked on the node, and the operation run again. The node needs nothing but bash and coreutils.
 */
public final class ScriptShipper {

    /** Printed (with exit 197) only by our own wrapper, so a tool that happens to exit 197 is not re-run. */
    static final String MISSING_MARKER = "popfleet:tool-missing";
    static final int MISSING_EXIT = 197;

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
            return engine.exec(target, uploadCommand(tool), tool.content(), limits).thenCompose(upload -> {
                if (!upload.ok()) {
                    return CompletableFuture.completedFuture(new ShippedRun(uploadFailure(upload), true));
                }
                return engine.exec(target, command, new byte[0], limits)
                        .thenApply(second -> new ShippedRun(second, true));
            });
        });
    }

    static String runCommand(NodeToolBundle tool, List<String> arguments) {
        String path = tool.remotePath();
        return "[ -r " + path + " ] || { echo " + MISSING_MARKER + " >&2; exit " + MISSING_EXIT + "; }; exec "
                + ShellQuoting.command("bash " + path, arguments);
    }

    /** Writes to a temp file, checks the hash there, and only then moves it into place (atomically). */
    static String uploadCommand(NodeToolBundle tool) {
        String sha = tool.sha256();
        return "set -e; umask 077; d=\"$HOME\"/.cache/popfleet; mkdir -p \"$d\"; "
                + "t=$(mktemp \"$d\"/.upload.XXXXXX); cat > \"$t\"; "
                + "s=$(sha256sum \"$t\" | cut -d' ' -f1); "
                + "if [ \"$s\" != " + sha + " ]; then rm -f \"$t\"; echo \"hash mismatch: $s\" >&2; exit 198; fi; "
                + "chmod 500 \"$t\"; mv -f \"$t\" \"$d\"/pop-" + sha;
    }

    private static boolean missing(ExecResult result) {
        return result.exitCode() != null && result.exitCode() == MISSING_EXIT
                && result.stderr().trim().equals(MISSING_MARKER);
    }

    private static ExecResult uploadFailure(ExecResult upload) {
        if (upload.exitCode() != null && upload.exitCode() == 198) {
            return new ExecResult(upload.exitCode(), upload.stdout(), upload.stderr(), false, false,
                    upload.timings(), FailureKind.BAD_OUTPUT, "uploaded node tool failed its hash check");
        }
        return upload;
    }
}
