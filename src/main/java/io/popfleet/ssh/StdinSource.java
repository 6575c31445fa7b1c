package io.popfleet.ssh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * What an exec sends as its stdin, opened anew for every attempt (a reused session found broken is retried on a
 * fresh one, and a stream read halfway cannot be sent again): a restore decrypts its archive straight into the
 * channel instead of holding it whole.
 */
@FunctionalInterface
public interface StdinSource {

    /** Nothing: stdin is closed at once. */
    StdinSource EMPTY = () -> null;

    /** A fresh stream of the bytes to send, or null for none. A failure while reading it ends the command. */
    InputStream open() throws IOException;

    static StdinSource of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : () -> new ByteArrayInputStream(bytes);
    }
}
