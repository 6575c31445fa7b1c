package io.popfleet.inventory.importing;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an INI value as Ansible does ({@code ast.literal_eval}, falling back to the text itself): {@code 2222} and
 * {@code 0x8AE} are numbers, {@code "a b"} and {@code 'a'} are strings without their quotes (a trailing
 * {@code # comment} after them is dropped), {@code None} is no value, anything else is the text as written. Only
 * the literal forms a node field can use are understood; any other Python literal stays text, and field checks
 * then refuse it.
 */
final class PyLiteral {

    private static final Pattern INTEGER = Pattern.compile(
            "([+-]?)(?:([1-9](?:_?[0-9])*|0+(?:_?0)*)|0[xX]((?:_?[0-9a-fA-F])+)|0[oO]((?:_?[0-7])+)"
                    + "|0[bB]((?:_?[01])+))\\s*(?:#.*)?");
    private static final Pattern TRAILER = Pattern.compile("\\s*(?:#.*)?");

    private PyLiteral() {
    }

    /** The value Ansible keeps for {@code text}; {@code null} for Python's {@code None}. */
    static String value(String text) {
        String v = text.replaceFirst("^[ \t]+", "");
        Matcher integer = INTEGER.matcher(v);
        if (integer.matches()) {
            int group = integer.group(2) != null ? 2 : integer.group(3) != null ? 3 : integer.group(4) != null ? 4 : 5;
            int radix = new int[] {0, 0, 10, 16, 8, 2}[group];
            BigInteger n = new BigInteger(integer.group(group).replace("_", ""), radix);
            return "-".equals(integer.group(1)) ? n.negate().toString() : n.toString();
        }
        if (v.strip().equals("None")) {
            return null;
        }
        String strings = strings(v);
        return strings != null ? strings : text;
    }

    /** One or more adjacent quoted strings ("a" 'b' is "ab" in Python), or {@code null} when it is not that. */
    private static String strings(String v) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        boolean any = false;
        while (true) {
            while (i < v.length() && Character.isWhitespace(v.charAt(i)) && any) {
                i++;
            }
            int start = i;
            boolean raw = false;
            while (i < v.length() && "rRuU".indexOf(v.charAt(i)) >= 0 && i - start < 1) {
                raw |= v.charAt(i) == 'r' || v.charAt(i) == 'R';
                i++;
            }
            if (i >= v.length() || (v.charAt(i) != '"' && v.charAt(i) != '\'')) {
                return any && TRAILER.matcher(v.substring(start)).matches() ? out.toString() : null;
            }
            char quote = v.charAt(i);
            if (v.startsWith(String.valueOf(quote).repeat(3), i)) {
                return null; // triple quotes: not a form an inventory value needs
            }
            i++;
            boolean closed = false;
            while (i < v.length()) {
                char c = v.charAt(i);
                if (c == quote) {
                    closed = true;
                    i++;
                    break;
                }
                if (c == '\\' && i + 1 < v.length()) {
                    char next = v.charAt(i + 1);
                    if (raw) {
                        out.append(c).append(next);
                    } else {
                        String escaped = escape(next);
                        if (escaped == null) {
                            return null; // hex, unicode and octal escapes: rare enough to read as text
                        }
                        out.append(escaped);
                    }
                    i += 2;
                    continue;
                }
                out.append(c);
                i++;
            }
            if (!closed) {
                return null;
            }
            any = true;
        }
    }

    private static String escape(char c) {
        return switch (c) {
            case '\\' -> "\\";
            case '\'' -> "'";
            case '"' -> "\"";
            case 'n' -> "\n";
            case 't' -> "\t";
            case 'r' -> "\r";
            default -> null;
        };
    }
}
