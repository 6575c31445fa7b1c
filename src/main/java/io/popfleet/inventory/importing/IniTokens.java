package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits an INI host line into words the way Ansible does (Python's {@code shlex} in POSIX mode with comments):
 * whitespace separates words, {@code '…'} and {@code "…"} quote, a backslash escapes, and an unquoted {@code #}
 * starts a comment.
 */
final class IniTokens {

    /** One word and the 1-based column where it starts. */
    record Token(String text, int column) {
    }

    /** The line could not be split; {@code column} points at the offending character. */
    static final class SyntaxError extends Exception {
        final int column;

        SyntaxError(int column, String message) {
            super(message, null, false, false);
            this.column = column;
        }
    }

    private IniTokens() {
    }

    static List<Token> split(String line) throws SyntaxError {
        List<Token> tokens = new ArrayList<>();
        StringBuilder word = null;
        int start = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (word == null) {
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                if (c == '#') {
                    break;
                }
                word = new StringBuilder();
                start = i;
            }
            if (Character.isWhitespace(c)) {
                tokens.add(new Token(word.toString(), start + 1));
                word = null;
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '\'' || c == '"') {
                i = quoted(line, i, word);
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        if (word != null) {
            tokens.add(new Token(word.toString(), start + 1));
        }
        return tokens;
    }

    /** Appends a quoted run to {@code word}; returns the index after its closing quote. */
    private static int quoted(String line, int open, StringBuilder word) throws SyntaxError {
        char quote = line.charAt(open);
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == quote) {
                return i + 1;
            }
            if (quote == '"' && c == '\\' && i + 1 < line.length()
                    && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new SyntaxError(open + 1, "unclosed " + (quote == '"' ? "double" : "single") + " quote");
    }

    /** A vars-section value as Ansible reads it: trimmed, one pair of matching outer quotes removed. */
    static String unquoteValue(String value) {
        String v = value.strip();
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            String inner = v.substring(1, v.length() - 1);
            return v.charAt(0) == '"' ? inner.replace("\\\"", "\"").replace("\\\\", "\\") : inner;
        }
        return v;
    }

    /** Quotes a value for a host line when it holds anything the splitter would treat specially. */
    static String quote(String value) {
        boolean plain = !value.isEmpty()
                && value.chars().allMatch(c -> Character.isLetterOrDigit(c) || "._:/@+,=-".indexOf(c) >= 0);
        if (plain) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
