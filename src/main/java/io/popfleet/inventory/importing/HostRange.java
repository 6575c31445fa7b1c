package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.List;

/**
 * Expands Ansible host ranges: {@code pop[01:20].example.net} (zero padding kept when the start is written with
 * leading zeros), {@code node-[a:f]}, an optional stride {@code [0:10:2]}, several ranges in one pattern.
 */
final class HostRange {

    /** The pattern is not a valid range; the message says why. */
    static final class RangeException extends Exception {
        RangeException(String message) {
            super(message, null, false, false);
        }
    }

    private HostRange() {
    }

    static boolean hasRange(String pattern) {
        int open = pattern.indexOf('[');
        return open >= 0 && pattern.indexOf(':', open) >= 0;
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
            add(whole, pattern, limit, out);
            return;
        }
        int close = pattern.indexOf(']', open);
        if (close < 0) {
            throw new RangeException("host range in '" + whole + "' has no closing ']'");
        }
        String head = pattern.substring(0, open);
        String tail = pattern.substring(close + 1);
        for (String item : items(whole, pattern.substring(open + 1, close))) {
            expand(whole, head + item + tail, limit, out);
        }
    }

    private static void add(String whole, String name, int limit, List<String> out) throws RangeException {
        if (out.size() >= limit) {
            throw new RangeException("host range '" + whole + "' expands to more than " + limit + " hosts");
        }
        out.add(name);
    }

    private static List<String> items(String whole, String spec) throws RangeException {
        String[] parts = spec.split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new RangeException("host range [" + spec + "] in '" + whole + "' must be [start:end] or "
                    + "[start:end:step]");
        }
        String begin = parts[0].isEmpty() ? "0" : parts[0];
        String end = parts[1];
        int step = 1;
        if (parts.length == 3) {
            if (!parts[2].matches("[0-9]{1,6}") || Integer.parseInt(parts[2]) == 0) {
                throw new RangeException("host range [" + spec + "] in '" + whole + "' has an invalid step");
            }
            step = Integer.parseInt(parts[2]);
        }
        if (begin.matches("[a-zA-Z]") && end.matches("[a-zA-Z]")) {
            return letters(whole, spec, begin.charAt(0), end.charAt(0), step);
        }
        if (!begin.matches("[0-9]{1,9}") || !end.matches("[0-9]{1,9}")) {
            throw new RangeException("host range [" + spec + "] in '" + whole + "' must be numbers ([01:20]) or "
                    + "single letters ([a:f])");
        }
        boolean padded = begin.length() > 1 && begin.charAt(0) == '0';
        if (padded && begin.length() != end.length()) {
            throw new RangeException("host range [" + spec + "] in '" + whole + "' is zero-padded, so start and "
                    + "end must have the same width");
        }
        int from = Integer.parseInt(begin);
        int to = Integer.parseInt(end);
        if (from > to) {
            throw new RangeException("host range [" + spec + "] in '" + whole + "' ends before it starts");
        }
        List<String> items = new ArrayList<>();
        String format = padded ? "%0" + begin.length() + "d" : "%d";
        for (long i = from; i <= to && items.size() <= InventoryLimits.MAX_NODES; i += step) {
            items.add(String.format(format, i));
        }
        return items;
    }

    private static List<String> letters(String whole, String spec, char from, char to, int step)
            throws RangeException {
        if (Character.isUpperCase(from) != Character.isUpperCase(to) || from > to) {
            throw new RangeException("host range [" + spec + "] in '" + whole + "' must run forwards within one "
                    + "case ([a:f] or [A:F])");
        }
        List<String> items = new ArrayList<>();
        for (int c = from; c <= to; c += step) {
            items.add(String.valueOf((char) c));
        }
        return items;
    }
}
