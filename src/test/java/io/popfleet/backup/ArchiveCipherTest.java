package io.popfleet.backup;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.SecretKey;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchiveCipherTest {

    private final SecretKey key = ArchiveCipher.newDataKey();

    /** Around the segment size: empty, one byte, exactly one segment, one more, several. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, ArchiveCipher.SEGMENT - 1, ArchiveCipher.SEGMENT, ArchiveCipher.SEGMENT + 1,
            3 * ArchiveCipher.SEGMENT + 17})
    void whatIsSealedOpensToTheSameBytes(int size) throws IOException {
        byte[] plain = random(size);
        assertThat(open(seal(plain), key)).isEqualTo(plain);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, ArchiveCipher.SEGMENT + 16 + 11, 2 * (ArchiveCipher.SEGMENT + 16) + 11})
    void aStreamCutShortDoesNotOpenEvenAtASegmentBoundary(int cutFromEnd) throws IOException {
        byte[] sealed = seal(random(2 * ArchiveCipher.SEGMENT + 100));
        byte[] cut = Arrays.copyOf(sealed, sealed.length - Math.min(cutFromEnd, sealed.length - 11));
        assertThatThrownBy(() -> open(cut, key)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {11, 20, ArchiveCipher.SEGMENT + 40})
    void aFlippedBitAnywhereDoesNotOpen(int offset) throws IOException {
        byte[] sealed = seal(random(ArchiveCipher.SEGMENT + 100));
        sealed[offset] ^= 0x01;
        assertThatThrownBy(() -> open(sealed, key)).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {100})
    void anotherKeyDoesNotOpen(int size) throws IOException {
        byte[] sealed = seal(random(size));
        assertThatThrownBy(() -> open(sealed, ArchiveCipher.newDataKey())).isInstanceOf(IOException.class)
                .hasMessageContaining("does not open");
    }

    private byte[] seal(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream sealing = ArchiveCipher.sealing(out, key)) {
            // odd-sized writes, as bytes arrive from a channel
            for (int i = 0; i < plain.length; i += 7919) {
                sealing.write(plain, i, Math.min(7919, plain.length - i));
            }
        }
        return out.toByteArray();
    }

    private static byte[] open(byte[] sealed, SecretKey key) throws IOException {
        try (InputStream in = ArchiveCipher.opening(new ByteArrayInputStream(sealed), key)) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }
}
