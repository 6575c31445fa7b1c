package io.popfleet.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * The bytes of the node tool, their sha256 (which names the file on every node), and the gzip stream an upload
 * sends: the tool is text and shrinks about 3.4 times, and a cold run ships it to every node at once.
 */
public record NodeToolBundle(byte[] content, String sha256, byte[] gzipped) {

    /** A bundle whose {@code sha256} is taken as given (a test ships bytes that do not match it). */
    public NodeToolBundle(byte[] content, String sha256) {
        this(content, sha256, gzip(content));
    }

    /** Where the controller jar carries the bundled {@code pop} script. */
    public static final String CLASSPATH_RESOURCE = "node-tool/pop";

    public static NodeToolBundle of(byte[] content) {
        try {
            return new NodeToolBundle(content.clone(),
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    public static Optional<NodeToolBundle> fromClasspath() {
        try (InputStream in = NodeToolBundle.class.getClassLoader().getResourceAsStream(CLASSPATH_RESOURCE)) {
            return in == null ? Optional.empty() : Optional.of(of(in.readAllBytes()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gzip(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length / 3 + 64);
        try (GZIPOutputStream zip = new GZIPOutputStream(out) {
            {
                def.setLevel(Deflater.BEST_COMPRESSION);
            }
        }) {
            zip.write(content);
        } catch (IOException e) {
            throw new UncheckedIOException("gzip in memory", e);
        }
        return out.toByteArray();
    }

    /** {@code $HOME/.cache/popfleet/pop-<sha256>}, for a remote shell (the hash is hex, safe unquoted). */
    String remotePath() {
        return "\"$HOME\"/.cache/popfleet/pop-" + sha256;
    }
}
