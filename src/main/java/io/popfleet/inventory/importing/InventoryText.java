package io.popfleet.inventory.importing;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** File-level checks shared by every format: size, text-ness, encoding. Parsers only ever see clean UTF-8 text. */
final class InventoryText {

    private InventoryText() {
    }

    /**
     * Decodes a file as strict UTF-8 without its byte order mark.
     *
     * @throws InventoryRejectedException when the file is too big, empty, or not UTF-8 text
     */
    static String decode(byte[] content) throws InventoryRejectedException {
        if (content == null || content.length == 0) {
            throw Problems.rejection("the file is empty");
        }
        checkSizeAndNul(content);
        int start = hasUtf8Bom(content) ? 3 : 0;
        String text;
        try {
            text = strictUtf8(content, start, content.length - start);
        } catch (CharacterCodingException e) {
            throw Problems.rejection("not a text file: it is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw Problems.rejection("the file is empty");
        }
        return text;
    }

    /**
     * Decodes an Ansible INI file as Ansible does: an empty file is an empty inventory, and a byte that is not UTF-8
     * does not refuse the file by itself. Like Python's {@code surrogateescape}, each such byte becomes a lone
     * surrogate (U+DC80-U+DCFF) that no UTF-8 text can contain, so the reader can accept it in a comment and refuse
     * it, with its line and column, where it reaches a name or a value ({@link #badByte}).
     *
     * @throws InventoryRejectedException when the file is too big or binary
     */
    static String decodeIni(byte[] content) throws InventoryRejectedException {
        if (content == null || content.length == 0) {
            return "";
        }
        checkSizeAndNul(content);
        int start = hasUtf8Bom(content) ? 3 : 0;
        ByteBuffer in = ByteBuffer.wrap(content, start, content.length - start);
        CharBuffer out = CharBuffer.allocate(content.length);
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (!result.isError()) {
                break;
            }
            for (int i = 0; i < result.length(); i++) {
                out.put((char) (0xDC00 | (in.get() & 0xFF)));
            }
        }
        return out.flip().toString();
    }

    /** Index of the first byte {@link #decodeIni} could not decode, or -1. */
    static int badByte(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0xDC80 && c <= 0xDCFF && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                return i;
            }
        }
        return -1;
    }

    /** The operator's message for an undecodable byte {@code c} found by {@link #badByte}. */
    static String badByteMessage(char c) {
        return String.format("byte 0x%02X is not UTF-8: save the file as UTF-8 (another encoding is accepted only "
                + "in comments)", c & 0xFF);
    }

    private static String strictUtf8(byte[] content, int offset, int length) throws CharacterCodingException {
        // A strict decoder: the lenient String constructor would silently turn bad bytes into U+FFFD.
        return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(content, offset, length))
                .toString();
    }

    private static void checkSizeAndNul(byte[] content) throws InventoryRejectedException {
        if (content.length > InventoryLimits.MAX_BYTES) {
            throw Problems.rejection("the file is " + InventoryLimits.describeSize(content.length)
                    + "; the limit is " + InventoryLimits.describeSize(InventoryLimits.MAX_BYTES));
        }
        for (byte b : content) {
            if (b == 0) {
                throw Problems.rejection("not a text file: it contains NUL bytes (is it binary or UTF-16?)");
            }
        }
    }

    private static boolean hasUtf8Bom(byte[] content) {
        return content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF;
    }
}
