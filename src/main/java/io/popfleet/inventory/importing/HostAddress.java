package io.popfleet.inventory.importing;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Checks that a host is a DNS name (RFC 1123), an IPv4 address or an IPv6 literal, without ever resolving it:
 * validating an inventory must not touch the network.
 */
public final class HostAddress {

    /**
     * RFC 1123 labels, plus what Ansible inventories hold and resolvers (/etc/hosts, SSH) accept: '_' anywhere
     * ({@code rtp_a}) and letters of any script (internationalised names, kept as written).
     */
    private static final Pattern LABEL = Pattern.compile(
            "[\\p{L}\\p{N}_]([\\p{L}\\p{M}\\p{N}_-]{0,61}[\\p{L}\\p{M}\\p{N}])?");
    private static final Pattern DIGITS_AND_DOTS = Pattern.compile("[0-9.]+");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private HostAddress() {
    }

    /** Why {@code host} is not acceptable, or empty when it is. */
    public static Optional<String> problem(String host) {
        if (host == null || host.isEmpty()) {
            return Optional.of("host is empty");
        }
        if (host.indexOf(':') >= 0) {
            String hint = host.startsWith("[") ? " (write it without brackets)"
                    : host.contains("%") ? " (zone ids such as %eth0 are not supported)" : "";
            return parseIpv6(host) != null ? Optional.empty()
                    : Optional.of("host '" + host + "' is not a valid IPv6 address" + hint);
        }
        if (DIGITS_AND_DOTS.matcher(host).matches()) {
            // A name made only of digits and dots would be read as an address by every resolver; insist it is one.
            return parseIpv4(host) != null ? Optional.empty()
                    : Optional.of("host '" + host + "' is not a valid IPv4 address (four numbers 0-255, no leading "
                            + "zeros)");
        }
        if (host.endsWith(".")) {
            return Optional.of("host '" + host + "' ends with a dot; write the name without it");
        }
        if (host.length() > 253) {
            return Optional.of("host name is " + host.length() + " characters; the limit is 253");
        }
        for (String label : host.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.of("host '" + host + "' is not a valid host name (labels of letters, digits, "
                        + "'_' and '-', 1-63 characters, not starting or ending with a hyphen) "
                        + "or IP address");
            }
        }
        return Optional.empty();
    }

    /** A key under which two spellings of the same host compare equal (case, IPv6 zero compression). */
    static String canonical(String host) {
        if (host.indexOf(':') >= 0) {
            byte[] address = parseIpv6(host);
            if (address != null) {
                try {
                    return "[" + InetAddress.getByAddress(address).getHostAddress() + "]";
                } catch (UnknownHostException e) {
                    throw new IllegalStateException(e); // unreachable: the array has 16 bytes
                }
            }
        }
        return host.toLowerCase(Locale.ROOT);
    }

    static byte[] parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || (part.length() > 1 && part.charAt(0) == '0')) {
                return null; // a leading zero means octal to some libraries; refuse the ambiguity
            }
            for (char c : part.toCharArray()) {
                if (c < '0' || c > '9') {
                    return null;
                }
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    /** Parses an IPv6 literal (RFC 4291 text forms, no zone id, no brackets) or returns {@code null}. */
    static byte[] parseIpv6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            return null;
        }
        String head = doubleColon >= 0 ? text.substring(0, doubleColon) : text;
        String tail = doubleColon >= 0 ? text.substring(doubleColon + 2) : "";
        int[] headGroups = groups(head, doubleColon < 0); // an embedded IPv4 address comes last
        int[] tailGroups = doubleColon >= 0 ? groups(tail, true) : new int[0];
        if (headGroups == null || tailGroups == null) {
            return null;
        }
        int count = headGroups.length + tailGroups.length;
        if (doubleColon >= 0 ? count > 7 : count != 8) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < headGroups.length; i++) {
            bytes[2 * i] = (byte) (headGroups[i] >> 8);
            bytes[2 * i + 1] = (byte) headGroups[i];
        }
        int offset = 8 - tailGroups.length;
        for (int i = 0; i < tailGroups.length; i++) {
            bytes[2 * (offset + i)] = (byte) (tailGroups[i] >> 8);
            bytes[2 * (offset + i) + 1] = (byte) tailGroups[i];
        }
        return bytes;
    }

    /** 16-bit groups of one side of "::"; the last one may be a dotted IPv4 address worth two groups. */
    private static int[] groups(String side, boolean mayEndWithIpv4) {
        if (side.isEmpty()) {
            return new int[0];
        }
        String[] parts = side.split(":", -1);
        int extra = 0;
        byte[] ipv4 = null;
        if (mayEndWithIpv4 && parts[parts.length - 1].indexOf('.') >= 0) {
            ipv4 = parseIpv4(parts[parts.length - 1]);
            if (ipv4 == null) {
                return null;
            }
            extra = 1;
        }
        int[] result = new int[parts.length + extra];
        int hexParts = ipv4 == null ? parts.length : parts.length - 1;
        for (int i = 0; i < hexParts; i++) {
            if (!HEX_GROUP.matcher(parts[i]).matches()) {
                return null;
            }
            result[i] = Integer.parseInt(parts[i], 16);
        }
        if (ipv4 != null) {
            result[hexParts] = ((ipv4[0] & 0xFF) << 8) | (ipv4[1] & 0xFF);
            result[hexParts + 1] = ((ipv4[2] & 0xFF) << 8) | (ipv4[3] & 0xFF);
        }
        return result;
    }
}
