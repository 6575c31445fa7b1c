package io.popfleet.inventory.importing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever an operator pastes, a parser either returns an inventory or refuses it with problems: it never fails
 * with another exception (which the REST layer would turn into a 500). Mangles the examples two thousand ways
 * with a fixed seed, so a failure reproduces.
 */
class MangledInputTest {

    private static final String NOISE = "[]{}:=,#;'\"\\-&*!|>%@ \t\n\r0aZ.";

    @Test
    void mangledFilesAreParsedOrRefusedNeverCrash() throws Exception {
        Random random = new Random(20261126L);
        for (String example : new String[] {"inventory/fleet.example.yaml", "inventory/hosts.example.ini"}) {
            String original = Files.readString(Path.of(example));
            for (int round = 0; round < 500; round++) {
                String mangled = mangle(original, random);
                for (InventoryFormat format : InventoryFormat.values()) {
                    assertParsedOrRefused(format, mangled);
                }
            }
        }
    }

    private static String mangle(String text, Random random) {
        StringBuilder out = new StringBuilder(text);
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && out.length() > 0; i++) {
            int at = random.nextInt(out.length());
            switch (random.nextInt(3)) {
                case 0 -> out.deleteCharAt(at);
                case 1 -> out.insert(at, NOISE.charAt(random.nextInt(NOISE.length())));
                default -> out.setCharAt(at, NOISE.charAt(random.nextInt(NOISE.length())));
            }
        }
        return out.toString();
    }

    private static void assertParsedOrRefused(InventoryFormat format, String text) {
        try {
            ParsedInventory parsed = InventoryFormats.parser(format).parse(text.getBytes(StandardCharsets.UTF_8));
            assertThat(parsed.nodes()).isNotNull();
        } catch (InventoryRejectedException e) {
            assertThat(e.problems()).as(text).isNotEmpty();
        } catch (RuntimeException e) {
            throw new AssertionError(format + " parser crashed on:\n" + text, e);
        }
    }
}
