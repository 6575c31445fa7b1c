package io.popfleet.inventory.importing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits the first word of an INI host line into a host pattern and an optional port, as ansible-core's
 * {@code parse_address(..., allow_ranges=True)} does: {@code [2001:db8::1]:2222}, {@code host:2222},
 * {@code 10.0.0.[1:9]:22}. An IPv6 address takes a port only in brackets. A word that is no host Ansible
 * recognises is kept whole, port and all, as the host name (it is then checked as a name).
 */
record HostPattern(String pattern, String port) {

    private static final String NUMERIC_RANGE = "\\[[0-9]+:[0-9]+(?::[0-9]+)?\\]";
    private static final String HEX_RANGE = "\\[[0-9a-f]+:[0-9a-f]+(?::[0-9]+)?\\]";
    private static final String ALNUM_RANGE = "\\[(?:[a-z]:[a-z]|[0-9]+:[0-9]+)(?::[0-9]+)?\\]";
    private static final String V6 = "(?:[0-9a-f]{1,4}|" + HEX_RANGE + ")";
    private static final String V4 = "(?:[01]?[0-9]{1,2}|2[0-4][0-9]|25[0-5]|" + NUMERIC_RANGE + ")";
    private static final String LABEL = "(?:\\w|" + ALNUM_RANGE + ")(?:[\\w_-]|" + ALNUM_RANGE + ")*(?<![_-])";

    private static final Pattern BRACKETED = Pattern.compile("^\\[(.+)\\]:([0-9]+)$");
    private static final Pattern HOST_PORT = Pattern.compile("^((?:[^:\\[\\]]|\\[[^\\]]*\\])*):([0-9]+)$");
    private static final Pattern IPV4 = Pattern.compile("^(?:" + V4 + "\\.){3}" + V4 + "$", Pattern.CASE_INSENSITIVE);
    private static final Pattern IPV6 = Pattern.compile("^(?:"
            + "(?:" + V6 + ":){7}" + V6
            + "|(?:" + V6 + ":){1,6}:"
            + "|(?:" + V6 + ":)(?::" + V6 + "){1,6}"
            + "|(?:" + V6 + ":){2}(?::" + V6 + "){1,5}"
            + "|(?:" + V6 + ":){3}(?::" + V6 + "){1,4}"
            + "|(?:" + V6 + ":){4}(?::" + V6 + "){1,3}"
            + "|(?:" + V6 + ":){5}(?::" + V6 + "){1,2}"
            + "|(?:" + V6 + ":){6}(?::" + V6 + ")"
            + "|:(?::" + V6 + "){1,6}"
            + "|" + V6 + "?::"
            + "|(?:0:){6}(?:" + V6 + "\\.){3}" + V6
            + "|::(?:ffff:)?(?:" + V6 + "\\.){3}" + V6
            + "|(?:0:){5}ffff:(?:" + V6 + "\\.){3}" + V6
            + ")$", Pattern.CASE_INSENSITIVE);
    private static final Pattern HOSTNAME = Pattern.compile("^" + LABEL + "(?:\\." + LABEL + ")*$",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CHARACTER_CLASS | Pattern.UNICODE_CASE);

    static HostPattern parse(String word) {
        String address = word;
        String port = null;
        for (Pattern withPort : new Pattern[] {BRACKETED, HOST_PORT}) {
            Matcher m = withPort.matcher(address);
            if (m.matches()) {
                address = m.group(1);
                port = m.group(2);
            }
        }
        boolean recognised = IPV4.matcher(address).matches() || IPV6.matcher(address).matches()
                || HOSTNAME.matcher(address).matches();
        return recognised ? new HostPattern(address, port) : new HostPattern(word, null);
    }
}
