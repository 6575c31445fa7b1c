package io.popfleet.security;

import java.util.Locale;
import java.util.Optional;

/**
 * A {@code Host} header or the authority of an {@code Origin}, split into a lower-case name and a port. IPv6
 * literals keep their brackets ({@code [::1]}), so {@code name:port} prints back the way browsers send it.
 *
 * @param port the explicit port, or -1 when the header names none (the scheme's default)
 */
public record HostName(String name, int port) {

    /** Parses {@code name}, {@code name:port}, {@code [v6]} or {@code [v6]:port}; empty when malformed. */
    public static Optional<HostName> parse(String authority) {
        if (authority == null || authority.isEmpty() || authority.length() > 300) {
            return Optional.empty();
        }
        String value = authority.toLowerCase(Locale.ROOT);
        String name;
        String rest;
        if (value.startsWith("[")) {
            int close = value.indexOf(']');
            if (close < 0) {
                return Optional.empty();
            }
            name = value.substring(0, close + 1);
            rest = value.substring(close + 1);
        } else {
            int colon = value.indexOf(':');
            name = colon < 0 ? value : value.substring(0, colon);
            rest = colon < 0 ? "" : value.substring(colon);
        }
        if (name.isEmpty() || !name.matches("[a-z0-9.\\-_\\[\\]:]+")) {
            return Optional.empty();
        }
        if (rest.isEmpty()) {
            return Optional.of(new HostName(name, -1));
        }
        if (!rest.matches(":[0-9]{1,5}")) {
            return Optional.empty();
        }
        int port = Integer.parseInt(rest.substring(1));
        return port > 65535 ? Optional.empty() : Optional.of(new HostName(name, port));
    }

    /** The port, with a missing one read as the scheme's default. */
    public int portOr(int defaultPort) {
        return port < 0 ? defaultPort : port;
    }
}
