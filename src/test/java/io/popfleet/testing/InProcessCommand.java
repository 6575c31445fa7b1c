package io.popfleet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * A simulated node's command answered in-process, without a shell: the channel's streams, how an answer ends the
 * command, and the node tool's side of the controller's shipping protocol ({@code ScriptShipper}) for nodes that
 * act it out in Java. Subclasses decide what a command does.
 */
public abstract class InProcessCommand implements Command {

    /** A run of the shipped tool: group 1 is its sha256, group 2 its arguments as the controller quoted them. */
    public static final Pattern RUN_TOOL = Pattern.compile(
            "^\\[ -r \"\\$HOME\"/\\.cache/popfleet/pop-([0-9a-f]{64}) \\] \\|\\| \\{ echo popfleet:tool-missing >&2;"
                    + " exit 197; \\}; exec bash \"\\$HOME\"/\\.cache/popfleet/pop-[0-9a-f]{64}(.*)$");
    /** The tool on stdin, hash-checked, then run in the same exec ({@code ScriptShipper.uploadAndRunCommand}). */
    public static final Pattern UPLOAD_AND_RUN = Pattern.compile("^umask 077; .*\\[ \"\\$s\" = ([0-9a-f]{64}) \\] \\|\\| up"
            + " .*; exec bash \"\\$HOME\"/\\.cache/popfleet/pop-[0-9a-f]{64}(.*)$");
    private static final Pattern WORD = Pattern.compile("'((?:[^']|'\\\\'')*)'|(\\S+)");

    protected InputStream in;
    protected OutputStream out;
    protected OutputStream err;
    protected ExitCallback exit;

    /** The words of a command line the controller quoted for a POSIX shell (single quotes, {@code '\''}). */
    public static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        Matcher word = WORD.matcher(line);
        while (word.find()) {
            words.add(word.group(1) != null ? word.group(1).replace("'\\''", "'") : word.group(2));
        }
        return words;
    }

    /** The node tool's answer (docs/node-json.md): {@code data} is JSON, {@code error} a ready JSON object or null. */
    protected static String envelope(String operation, boolean ok, String data, String error, String toolVersion) {
        return "{\"schema\":\"popfleet.node/v1\",\"command\":\"" + operation + "\",\"ok\":" + ok + ",\"data\":" + data
                + (error == null ? "" : ",\"error\":" + error) + ",\"tool_version\":\"" + toolVersion
                + "\",\"node_time\":\"" + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}\n";
    }

    /**
     * Reads stdin to its end and answers its sha256: the node tool travels gzipped ({@code ScriptShipper}), a
     * release as it is ({@code ReleaseShipper}).
     */
    protected String sha256OfStdin(boolean gzipped) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            InputStream source = gzipped ? new GZIPInputStream(in) : in;
            for (int n = source.read(buffer); n >= 0; n = source.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes what is given (either may be null) and ends the command with {@code code}. */
    protected void finish(String stdout, String stderr, int code) {
        finish(stdout == null ? null : stdout.getBytes(StandardCharsets.UTF_8),
                stderr == null ? null : stderr.getBytes(StandardCharsets.UTF_8), code);
    }

    protected void finish(byte[] stdout, byte[] stderr, int code) {
        try {
            if (stdout != null) {
                out.write(stdout);
                out.flush();
            }
            if (stderr != null) {
                err.write(stderr);
                err.flush();
            }
            exit.onExit(code);
        } catch (IOException e) {
            // the client went away (a controller killed mid-command): nothing left to answer
        }
    }

    @Override
    public void setInputStream(InputStream stream) {
        in = stream;
    }

    @Override
    public void setOutputStream(OutputStream stream) {
        out = stream;
    }

    @Override
    public void setErrorStream(OutputStream stream) {
        err = stream;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        exit = callback;
    }

    @Override
    public void destroy(ChannelSession channel) {
        // nothing held: a pending answer finds the channel closed and is dropped
    }
}
