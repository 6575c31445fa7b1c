package io.popfleet.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** The bytes of the node tool and their sha256, which names the file on every node. */
public record NodeToolBundle(byte[] content, String sha256) {

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

    /** {@code $HOME/.cache/popfleet/pop-<sha256>}, for a remote shell (the hash is hex, safe unquoted). */
    String remotePath() {
        return "\"$HOME\"/.cache/popfleet/pop-" + sha256;
    }
}
