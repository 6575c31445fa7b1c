package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges as ansible-core's {@code expand_hostname_range} does: the first {@code [..]} is
 * {@code begin:end} or {@code begin:end:step}; a begin written with a leading zero pads every number to its width
 * ({@code [01:20]}); single letters count through Ansible's alphabet {@code a-z} then {@code A-Z}, so
 * {@code [y:B]} is y, z, A, B; an empty begin is 0; what follows the range is expanded again. Where Ansible would
 * silently make no host at all (a begin after the end) or read something odd (multi-letter bounds), this refuses.
 */
final class HostRange {

    /** Ansible's {@code string.ascii_letters}: the order its alphabetic ranges count in. */
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /** The pattern is not a valid range; the message says why. */
    static final class RangeException extends Exception {
        RangeException(String message) {
            super(message, null, false, false);
        }
    }

    private HostRange() {
    }

    static boolean hasRange(String pattern) {
        return pattern.indexOf('[') >= 0;
    }

    /** Every host name the pattern stands for, in order; a pattern without a range is itself. */
    static List<String> expand(String pattern, int limit) throws RangeException {
        List<String> out = new ArrayList<>();
        expand(pattern, pattern, limit, out);
        return out;
    }

    private static void expand(String whole, String pattern, int limit, List<String> out) throws RangeException {
        int open = pattern.indexOf('[');
        if (open < 0) {
            if (out.size() >= limit) {
                throw new RangeException("host range '" + whole + "' expands to more than " + limit + " hosts");
            }
            out.add(pattern);
            return;
        }
        int close = pattern.indexOf(']', open);
        if (close < 0 || pattern.indexOf(']') < open || pattern.indexOf('|') >= 0) {
            throw new RangeException("host range in '" + whole + "' must be written [begin:end] or "
                    + "[begin:end:step]");
        }
        String head = pattern.substring(0, open);
        String tail = pattern.substring(close + 1);
        for (String item : items(whole, pattern.substring(open + 1, close))) {
            expand(whole, head + item + tail, limit, out);
        }
    }

    private static List<String> items(String whole, String spec) throws RangeException {
        String[] parts = spec.split(":", -1);
        String where = "host range [" + spec + "] in '" + whole + "'";
        if (parts.length < 2 || parts.length > 3) {
            throw new RangeException(where + " must be [begin:end] or [begin:end:step]");
        }
        String begin = parts[0].isEmpty() ? "0" : parts[0];
        String end = parts[1];
        if (end.isEmpty()) {
            throw new RangeException(where + " has no end");
        }
        int step = 1;
        if (parts.length == 3) {
            if (!parts[2].matches("[0-9]{1,6}") || Integer.parseInt(parts[2]) == 0) {
                throw new RangeException(where + " has an invalid step (a whole number from 1)");
            }
            step = Integer.parseInt(parts[2]);
        }
        boolean padded = begin.length() > 1 && begin.charAt(0) == '0';
        if (padded && begin.length() != end.length()) {
            throw new RangeException(where + " is zero-padded, so begin and end must have the same width");
        }
        if (begin.length() == 1 && end.length() == 1 && LETTERS.indexOf(begin) >= 0 && LETTERS.indexOf(end) >= 0) {
            return letters(where, LETTERS.indexOf(begin), LETTERS.indexOf(end), step);
        }
        if (!begin.matches("[0-9]{1,9}") || !end.matches("[0-9]{1,9}")) {
            throw new RangeException(where + " must count numbers ([01:20]) or single letters ([a:f], [y:B])");
        }
        int from = Integer.parseInt(begin);
        int to = Integer.parseInt(end);
        if (from > to) {
            // Ansible makes no host at all from such a range, silently: a typo that would lose hosts.
            throw new RangeException(where + " ends before it begins (Ansible would make no host from it)");
        }
        List<String> items = new ArrayList<>();
        String format = padded ? "%0" + begin.length() + "d" : "%d";
        for (long i = from; i <= to && items.size() <= InventoryLimits.MAX_NODES; i += step) {
            items.add(String.format(format, i));
        }
        return items;
    }

    private static List<String> letters(String where, int from, int to, int step) throws RangeException {
        if (from > to) {
            throw new RangeException(where + " ends before it begins (letters count a-z then A-Z, as in Ansible)");
        }
        List<String> items = new ArrayList<>();
        for (int i = from; i <= to; i += step) {
            items.add(String.valueOf(LETTERS.charAt(i)));
        }
        return items;
    }
}
