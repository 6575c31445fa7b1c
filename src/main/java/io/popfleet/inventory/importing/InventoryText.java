package io.popfleet.inventory.importing;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
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
        if (content.length > InventoryLimits.MAX_BYTES) {
            throw Problems.rejection("the file is " + content.length + " bytes; the limit is "
                    + InventoryLimits.MAX_BYTES + " bytes (10 MiB)");
        }
        int start = hasUtf8Bom(content) ? 3 : 0;
        for (int i = start; i < content.length; i++) {
            if (content[i] == 0) {
                throw Problems.rejection("not a text file: it contains NUL bytes (is it binary or UTF-16?)");
            }
        }
        String text;
        try {
            // A strict decoder: the lenient String constructor would silently turn bad bytes into U+FFFD.
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content, start, content.length - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw Problems.rejection("not a text file: it is not valid UTF-8");
        }
        if (text.isBlank()) {
            throw Problems.rejection("the file is empty");
        }
        return text;
    }

    private static boolean hasUtf8Bom(byte[] content) {
        return content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF;
    }
}
