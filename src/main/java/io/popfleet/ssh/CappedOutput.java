package io.popfleet.ssh;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Collects one stream of a remote command up to a cap, so one node cannot exhaust the controller's memory. Past the
 * cap it keeps nothing, flags the truncation and tells its owner once (who closes the channel).
 */
final class CappedOutput extends OutputStream {

    private final int cap;
    private final Runnable onOverflow;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private boolean truncated;

    CappedOutput(int cap, Runnable onOverflow) {
        this.cap = cap;
        this.onOverflow = onOverflow;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] data, int off, int len) {
        boolean overflowNow = false;
        synchronized (this) {
            int room = cap - bytes.size();
            if (len <= room) {
                bytes.write(data, off, len);
                return;
            }
            if (room > 0) {
                bytes.write(data, off, room);
            }
            overflowNow = !truncated;
            truncated = true;
        }
        if (overflowNow) {
            onOverflow.run();
        }
    }

    synchronized boolean truncated() {
        return truncated;
    }

    synchronized byte[] toByteArray() {
        return bytes.toByteArray();
    }

    /** Invalid UTF-8 becomes U+FFFD here; the JSON parser above rejects what it cannot read as bad_output. */
    synchronized String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
