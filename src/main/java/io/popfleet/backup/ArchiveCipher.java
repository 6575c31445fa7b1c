package io.popfleet.backup;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * An archive's encryption at rest: AES-256-GCM in segments of 64 KiB (the STREAM construction), so an archive of
 * any size is sealed and opened as a stream, and a file cut short, reordered or altered does not open. The nonce of
 * segment {@code i} is a random 7-byte prefix, {@code i} (4 bytes) and a last-segment flag (1 byte): a file cut at a
 * segment boundary lacks its last segment and fails too.
 *
 * <p>Layout: {@code "PFB1" | prefix(7) | segment* }, each segment its ciphertext and 16-byte tag.
 */
final class ArchiveCipher {

    static final int SEGMENT = 64 * 1024;
    private static final byte[] MAGIC = {'P', 'F', 'B', '1'};
    private static final int PREFIX = 7;
    private static final int TAG_BITS = 128;
    private static final int TAG = TAG_BITS / 8;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ArchiveCipher() {
    }

    /** A fresh data key for one archive. */
    static SecretKey newDataKey() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return new SecretKeySpec(key, "AES");
    }

    static OutputStream sealing(OutputStream out, SecretKey key) throws IOException {
        byte[] prefix = new byte[PREFIX];
        RANDOM.nextBytes(prefix);
        out.write(MAGIC);
        out.write(prefix);
        return new Sealing(out, key, prefix);
    }

    /** @throws IOException when the stream is not ours, or (while reading) altered, truncated or keyed otherwise */
    static InputStream opening(InputStream in, SecretKey key) throws IOException {
        byte[] header = in.readNBytes(MAGIC.length + PREFIX);
        if (header.length != MAGIC.length + PREFIX || !Arrays.equals(header, 0, MAGIC.length, MAGIC, 0,
                MAGIC.length)) {
            throw new IOException("not an encrypted backup archive");
        }
        return new Opening(in, key, Arrays.copyOfRange(header, MAGIC.length, header.length));
    }

    private static byte[] nonce(byte[] prefix, int segment, boolean last) {
        return ByteBuffer.allocate(PREFIX + 5).put(prefix).putInt(segment).put((byte) (last ? 1 : 0)).array();
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, byte[] data, int len) throws IOException {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            return cipher.doFinal(data, 0, len);
        } catch (AEADBadTagException e) {
            throw new IOException("encrypted archive does not open: altered, truncated or another key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable", e);
        }
    }

    private static final class Sealing extends OutputStream {
        private final OutputStream out;
        private final SecretKey key;
        private final byte[] prefix;
        private final byte[] buffer = new byte[SEGMENT];
        private int filled;
        private int segment;
        private boolean closed;

        Sealing(OutputStream out, SecretKey key, byte[] prefix) {
            this.out = out;
            this.key = key;
            this.prefix = prefix;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] data, int off, int len) throws IOException {
            while (len > 0) {
                if (filled == SEGMENT) {
                    // only now is it sure that this segment is not the last one
                    emit(false);
                }
                int n = Math.min(len, SEGMENT - filled);
                System.arraycopy(data, off, buffer, filled, n);
                filled += n;
                off += n;
                len -= n;
            }
        }

        private void emit(boolean last) throws IOException {
            out.write(crypt(Cipher.ENCRYPT_MODE, key, nonce(prefix, segment++, last), buffer, filled));
            filled = 0;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                emit(true);
                out.close();
            }
        }
    }

    private static final class Opening extends InputStream {
        private final InputStream in;
        private final SecretKey key;
        private final byte[] prefix;
        private byte[] plain = new byte[0];
        private int position;
        private int segment;
        private boolean ended;
        private int lookahead = -2;

        Opening(InputStream in, SecretKey key, byte[] prefix) {
            this.in = in;
            this.key = key;
            this.prefix = prefix;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] target, int off, int len) throws IOException {
            while (position == plain.length) {
                if (ended) {
                    return -1;
                }
                next();
            }
            int n = Math.min(len, plain.length - position);
            System.arraycopy(plain, position, target, off, n);
            position += n;
            return n;
        }

        private void next() throws IOException {
            ByteArrayOutputStream chunk = new ByteArrayOutputStream(SEGMENT + TAG);
            if (lookahead >= 0) {
                chunk.write(lookahead);
            }
            chunk.write(in.readNBytes(SEGMENT + TAG - chunk.size()));
            if (chunk.size() < TAG) {
                throw new EOFException("encrypted archive is truncated");
            }
            lookahead = in.read();
            boolean last = lookahead < 0;
            byte[] sealed = chunk.toByteArray();
            plain = crypt(Cipher.DECRYPT_MODE, key, nonce(prefix, segment++, last), sealed, sealed.length);
            position = 0;
            ended = last;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
