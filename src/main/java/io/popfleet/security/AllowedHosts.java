package io.popfleet.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code Host} values the controller answers to. A DNS-rebinding page reaches the controller under the
 * attacker's name, so its requests carry that name in {@code Host}: answering only to known names stops it.
 * An entry without a port matches the port the request arrived on, so the defaults hold on any port.
 */
public final class AllowedHosts {

    private static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    private final List<HostName> entries;

    private AllowedHosts(List<HostName> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The configured list, or the bind address and the loopback names. */
    public static AllowedHosts of(Optional<List<String>> configured, String bindHost) {
        List<HostName> entries = new ArrayList<>();
        List<String> names = configured.filter(list -> !list.isEmpty()).orElseGet(() -> defaults(bindHost));
        for (String name : names) {
            HostName.parse(name.strip()).ifPresent(entries::add);
        }
        return new AllowedHosts(entries);
    }

    private static List<String> defaults(String bindHost) {
        List<String> names = new ArrayList<>(LOOPBACK);
        String bind = bindHost.toLowerCase(Locale.ROOT);
        // A wildcard bind is no name anybody types; a v6 address is written in brackets in a Host header.
        if (!bind.equals("0.0.0.0") && !bind.equals("::") && !bind.equals("[::]")) {
            names.add(bind.contains(":") && !bind.startsWith("[") ? "[" + bind + "]" : bind);
        }
        return names;
    }

    /**
     * @param localPort the port the request arrived on
     * @param defaultPort the scheme's port (80 or 443), meant when the header names none
     */
    public boolean allows(HostName host, int localPort, int defaultPort) {
        int port = host.portOr(defaultPort);
        return entries.stream().anyMatch(e -> e.name().equals(host.name())
                && (e.port() < 0 ? port == localPort : port == e.port()));
    }

    @Override
    public String toString() {
        return entries.stream().map(e -> e.port() < 0 ? e.name() : e.name() + ":" + e.port()).toList().toString();
    }
}
