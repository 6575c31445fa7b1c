package io.popfleet.ssh;

import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Pins held in memory, keyed by {@code host:port}: for tests and for the benchmarks (pointed at a known_hosts
 * file), which run the SSH engine without a database. Refusals are kept so callers can show them.
 */
public final class InMemoryHostKeyStore implements HostKeyStore {

    /** A key that was refused, with the pin it was compared to (absent under strict with no pin). */
    public record Refusal(SshTarget target, PublicKey offered, Optional<PublicKey> pinned) {
    }

    private final Map<String, PublicKey> pins = new ConcurrentHashMap<>();
    private final List<SshTarget> pinnedOnFirstUse = new CopyOnWriteArrayList<>();
    private final List<Refusal> refusals = new CopyOnWriteArrayList<>();

    public void pin(String host, int port, PublicKey key) {
        pins.put(endpoint(host, port), key);
    }

    /**
     * Pins every plain entry of an OpenSSH known_hosts text ({@code host} or {@code [host]:port}); returns the
     * lines it could not use (hashed, marked or malformed).
     */
    public List<String> pinKnownHosts(String knownHosts) {
        List<String> unsupported = new java.util.ArrayList<>();
        for (KnownHostsLine line : KnownHostsLine.parseAll(knownHosts, unsupported)) {
            line.endpoints().forEach(endpoint -> pin(endpoint.host(), endpoint.port(), line.key()));
        }
        return unsupported;
    }

    @Override
    public Optional<PublicKey> pinned(SshTarget target) {
        return Optional.ofNullable(pins.get(endpoint(target.host(), target.port())));
    }

    @Override
    public PublicKey pinOnFirstUse(SshTarget target, PublicKey offered) {
        PublicKey earlier = pins.putIfAbsent(endpoint(target.host(), target.port()), offered);
        if (earlier == null) {
            pinnedOnFirstUse.add(target);
            return offered;
        }
        return earlier;
    }

    @Override
    public void refused(SshTarget target, PublicKey offered, Optional<PublicKey> pinned) {
        refusals.add(new Refusal(target, offered, pinned));
    }

    public List<SshTarget> pinnedOnFirstUse() {
        return List.copyOf(pinnedOnFirstUse);
    }

    public List<Refusal> refusals() {
        return List.copyOf(refusals);
    }

    private static String endpoint(String host, int port) {
        return host + ":" + port;
    }
}
