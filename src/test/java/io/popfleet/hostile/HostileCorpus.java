package io.popfleet.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile strings in {@code hostile/strings.txt}, decoded to the bytes a client would send: most are UTF-8
 * text, the {@code utf8} class holds byte sequences that are not UTF-8 at all.
 */
public final class HostileCorpus {

    /** One hostile input: its class (nul, sql, html…) and its bytes. */
    public record Hostile(String kind, byte[] bytes) {

        public String text() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        public boolean validUtf8() {
            try {
                StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
                return true;
            } catch (CharacterCodingException e) {
                return false;
            }
        }

        /** A short printable form for failure messages (never the 70 k string itself). */
        public String preview() {
            String text = text();
            String shown = text.length() > 40 ? text.substring(0, 40) + "…(" + text.length() + " chars)" : text;
            StringBuilder out = new StringBuilder(kind).append(':');
            shown.codePoints().forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", c)
                    : new String(Character.toChars(c))));
            return out.toString();
        }
    }

    private static final Pattern REPEAT = Pattern.compile("\\$\\{repeat:(\\d+):(.*)}");

    private HostileCorpus() {
    }

    public static List<Hostile> all() {
        List<Hostile> all = new ArrayList<>();
        try (InputStream in = HostileCorpus.class.getResourceAsStream("/hostile/strings.txt")) {
            if (in == null) {
                throw new IllegalStateException("hostile/strings.txt is missing from the test resources");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                all.add(new Hostile(line.substring(0, tab), decode(line.substring(tab + 1))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return List.copyOf(all);
    }

    public static Map<String, List<Hostile>> byKind() {
        Map<String, List<Hostile>> kinds = new LinkedHashMap<>();
        all().forEach(h -> kinds.computeIfAbsent(h.kind(), k -> new ArrayList<>()).add(h));
        return kinds;
    }

    /**
     * For one parameter, {@code perKind} strings of every class, rotated by {@code seed} so that different
     * parameters see different members of each class while every parameter sees every class.
     */
    public static List<Hostile> sample(Map<String, List<Hostile>> kinds, int seed, int perKind) {
        List<Hostile> sample = new ArrayList<>();
        kinds.values().forEach(list -> {
            for (int i = 0; i < Math.min(perKind, list.size()); i++) {
                sample.add(list.get(Math.floorMod(seed + i, list.size())));
            }
        });
        return sample;
    }

    static byte[] decode(String escaped) {
        Matcher repeat = REPEAT.matcher(escaped);
        if (repeat.matches()) {
            byte[] unit = decode(repeat.group(2));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int i = 0; i < Integer.parseInt(repeat.group(1)); i++) {
                out.writeBytes(unit);
            }
            return out.toByteArray();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            if (c != '\\' || i + 1 == escaped.length()) {
                text.append(c);
                continue;
            }
            char next = escaped.charAt(++i);
            switch (next) {
                case '0' -> text.append('\0');
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'b' -> text.append('\b');
                case 'u' -> {
                    text.append((char) Integer.parseInt(escaped.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                case 'x' -> {
                    // A raw byte: flush the text so far, so a byte that is not UTF-8 stays exactly itself.
                    out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
                    text.setLength(0);
                    out.write(Integer.parseInt(escaped.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> text.append(next);
            }
        }
        out.writeBytes(text.toString().getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
