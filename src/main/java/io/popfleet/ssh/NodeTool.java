package io.popfleet.ssh;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which node tool a run calls: the bundle this controller ships (uploaded by hash when a node lacks it), or a
 * {@code pop} the operator installed on the node with their own configuration management, which is called where it
 * is and never uploaded. Either answers the same {@code popfleet.node/v1} contract.
 *
 * <p>The controller's setting is complete; a node's own (its inventory entry or group vars) may leave either part
 * null, which {@link #over} fills from the controller's.
 *
 * @param mode shipped or installed; null: inherited
 * @param installedPath the installed tool, an absolute path or a command name looked up on the login's {@code PATH};
 *        null: inherited
 */
public record NodeTool(Mode mode, String installedPath) {

    /** An installed path's longest form: far above any real path, far below what a shell line can carry. */
    public static final int MAX_PATH_CHARS = 255;

    /**
     * An absolute path of plain segments, or a plain command name: no spaces, quotes, {@code $}, globs or other
     * shell syntax, so the path means the same to every login shell and to the operator reading it. It is quoted
     * for the remote shell anyway ({@link ShellQuoting}).
     */
    private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_][A-Za-z0-9._+@-]*)+|[A-Za-z0-9_][A-Za-z0-9._+@-]*");

    /** The default: the bundle is shipped; were the mode switched to installed, {@code pop} on the PATH. */
    public static final NodeTool SHIPPED = new NodeTool(Mode.SHIPPED, "pop");

    /** How a node gets its tool. */
    public enum Mode {
        SHIPPED, INSTALLED;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** {@code shipped} or {@code installed} (any case); empty for anything else. */
        public static Optional<Mode> fromCode(String code) {
            if (code == null) {
                return Optional.empty();
            }
            return switch (code.trim().toLowerCase(Locale.ROOT)) {
                case "shipped" -> Optional.of(SHIPPED);
                case "installed" -> Optional.of(INSTALLED);
                default -> Optional.empty();
            };
        }
    }

    public NodeTool {
        if (installedPath != null) {
            pathProblem(installedPath).ifPresent(problem -> {
                throw new IllegalArgumentException(problem);
            });
        }
    }

    public static NodeTool installed(String path) {
        return new NodeTool(Mode.INSTALLED, path);
    }

    /** A node's own choice from its stored fields; null when it makes none. */
    public static NodeTool ofNode(String mode, String installedPath) {
        if (mode == null && installedPath == null) {
            return null;
        }
        return new NodeTool(mode == null ? null : Mode.fromCode(mode).orElseThrow(() -> new IllegalArgumentException(
                "node tool '" + mode + "': expected shipped or installed")), installedPath);
    }

    /** This choice with what it leaves open taken from {@code base}. */
    public NodeTool over(NodeTool base) {
        return new NodeTool(mode != null ? mode : base.mode(), installedPath != null ? installedPath
                : base.installedPath());
    }

    public boolean shipped() {
        return mode != Mode.INSTALLED;
    }

    /** Why {@code path} cannot name an installed node tool, or nothing. The API and both importers ask this. */
    public static Optional<String> pathProblem(String path) {
        if (path == null || path.isEmpty()) {
            return Optional.of("the installed node tool's path is empty");
        }
        if (path.length() > MAX_PATH_CHARS) {
            return Optional.of("node tool path longer than " + MAX_PATH_CHARS + " characters");
        }
        if (!PATH.matcher(path).matches()) {
            return Optional.of("node tool path '" + path + "' is neither an absolute path nor a command name (letters,"
                    + " digits and ._+@- in each segment, segments separated by /; no spaces or shell characters)");
        }
        return Optional.empty();
    }

    /** {@code shipped}, or {@code installed (path)}: for messages. */
    public String describe() {
        return shipped() ? "shipped" : "installed (" + installedPath + ")";
    }
}
