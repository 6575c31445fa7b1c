package io.popfleet.ssh;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.popfleet.api.FailureKind;

/**
 * Runs the node tool content-addressed: one exec per operation while the node holds
 * {@code ~/.cache/popfleet/pop-<sha256>}; when it does not, one more exec carries the tool on its stdin, checks its
 * hash on the node, moves it into place and runs the operation in the same shell, so a node without the tool costs
 * two round trips, not three (probe, upload, run again). The tool travels gzipped; the node needs nothing but bash,
 * coreutils and gzip (which the tool needs anyway).
 *
 * <p>A node whose tool is {@linkplain NodeTool installed} by other means gets one exec that calls that tool where it
 * is, with the same quoted arguments: nothing is uploaded, and a tool that is not there is {@code tool_missing},
 * naming the path, rather than an exit code to decode.
 */
public final class ScriptShipper {

    /** Printed (with exit 197) only by our own wrapper, so a tool that happens to exit 197 is not re-run. */
    static final String MISSING_MARKER = "popfleet:tool-missing";
    static final int MISSING_EXIT = 197;
    /** Printed (with exit 198) only when the upload itself failed, so the tool's own exit 198 is not mistaken. */
    static final String UPLOAD_FAILED_MARKER = "popfleet:upload-failed";
    static final int UPLOAD_FAILED_EXIT = 198;

    private final SshEngine engine;
    private final NodeTool defaultTool;

    /** Ships the bundle to every node that does not say otherwise. */
    public ScriptShipper(SshEngine engine) {
        this(engine, NodeTool.SHIPPED);
    }

    /** @param defaultTool the controller's choice ({@code popfleet.node-tool.*}) for a node that makes none */
    public ScriptShipper(SshEngine engine, NodeTool defaultTool) {
        this.engine = engine;
        if (defaultTool.mode() == null || defaultTool.installedPath() == null) {
            throw new IllegalArgumentException("the controller's node tool setting must be complete: " + defaultTool);
        }
        this.defaultTool = defaultTool;
    }

    /** The tool a run on {@code target} calls: the node's own choice, the controller's where it makes none. */
    public NodeTool toolFor(SshTarget target) {
        return target.tool() != null ? target.tool().over(defaultTool) : defaultTool;
    }

    /** The result of one operation, and whether the tool had to be uploaded first. */
    public record ShippedRun(ExecResult result, boolean uploaded) {
    }

    public CompletableFuture<ShippedRun> run(SshTarget target, NodeToolBundle tool, List<String> arguments,
            ExecLimits limits) {
        return run(target, tool, arguments, limits, false);
    }

    /**
     * @param tool the bundle to ship; unused (and may be null) when the target's tool is installed
     * @param mutating the operation changes the node: it waits until no other mutating operation of this
     *        controller runs on the node, and holds the node for the whole run, an upload included
     */
    public CompletableFuture<ShippedRun> run(SshTarget target, NodeToolBundle tool, List<String> arguments,
            ExecLimits limits, boolean mutating) {
        NodeTool choice = toolFor(target);
        if (choice.shipped()) {
            Objects.requireNonNull(tool, "the node tool bundle, to ship");
        }
        return mutating ? engine.exclusive(target.nodeId(), () -> runOn(target, choice, tool, arguments, limits))
                : runOn(target, choice, tool, arguments, limits);
    }

    private CompletableFuture<ShippedRun> runOn(SshTarget target, NodeTool choice, NodeToolBundle tool,
            List<String> arguments, ExecLimits limits) {
        if (choice.shipped()) {
            return shipAndRun(target, tool, arguments, limits);
        }
        return engine.exec(target, installedCommand(choice, arguments), new byte[0], limits)
                .thenApply(result -> new ShippedRun(installedMissing(result, choice), false));
    }

    /**
     * Calls the installed tool where it is. Whether it is there is asked first, so its absence is our own marker
     * rather than the shell's 127 (which a tool may return for its own reasons): a path must be an executable
     * file, a command name must resolve on the login's PATH.
     */
    static String installedCommand(NodeTool tool, List<String> arguments) {
        String path = ShellQuoting.quote(tool.installedPath());
        String present = tool.installedPath().contains("/") ? "[ -f " + path + " ] && [ -x " + path + " ]"
                : "command -v " + path + " >/dev/null 2>&1";
        return "{ " + present + "; } || { echo " + MISSING_MARKER + " >&2; exit " + MISSING_EXIT + "; }; exec "
                + ShellQuoting.command(path, arguments);
    }

    private static ExecResult installedMissing(ExecResult result, NodeTool tool) {
        if (!missing(result)) {
            return result;
        }
        String where = tool.installedPath().contains("/") ? "no executable node tool at " + tool.installedPath()
                : "no '" + tool.installedPath() + "' command on the PATH of the SSH login";
        return new ExecResult(result.exitCode(), result.stdout(), result.stderr(), false, false, result.timings(),
                FailureKind.TOOL_MISSING, where + " on this node; its node tool is set to installed, so nothing is"
                        + " uploaded: install pop there, or set the node's node_tool_path (or node_tool: shipped)");
    }

    private CompletableFuture<ShippedRun> shipAndRun(SshTarget target, NodeToolBundle tool, List<String> arguments,
            ExecLimits limits) {
        String command = runCommand(tool, arguments);
        return engine.exec(target, command, new byte[0], limits).thenCompose(first -> {
            if (!missing(first)) {
                return CompletableFuture.completedFuture(new ShippedRun(first, false));
            }
            return engine.exec(target, uploadAndRunCommand(tool, arguments), tool.gzipped(), limits)
                    .thenApply(shipped -> new ShippedRun(uploadFailure(shipped), true));
        });
    }

    static String runCommand(NodeToolBundle tool, List<String> arguments) {
        String path = tool.remotePath();
        return "[ -r " + path + " ] || { echo " + MISSING_MARKER + " >&2; exit " + MISSING_EXIT + "; }; exec "
                + ShellQuoting.command("bash " + path, arguments);
    }

    /**
     * Unpacks the gzipped tool from stdin into a temp file, checks the unpacked tool's hash there, moves it into place (atomically), then runs the tool in
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
                + "gzip -dc > \"$t\" || up gunzip; s=$(sha256sum \"$t\") || up sha256sum; s=${s%% *}; "
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
