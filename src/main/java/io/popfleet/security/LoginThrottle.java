package io.popfleet.security;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Counts failed logins per user name and per source address in a sliding window and refuses further attempts
 * once either passes its limit. In memory, per controller instance: a restart forgives, which is acceptable
 * against guessing (the window is short) and keeps the login path free of writes.
 */
@ApplicationScoped
public class LoginThrottle {

    /** Bounds memory when someone sprays many names or addresses; the oldest entries go first. */
    private static final int MAX_KEYS = 10_000;

    // Guarded by this: logins are rare, one lock keeps the counts simple.
    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    @Inject
    SecurityConfig config;

    /** How long until this user name and address may try again; empty when they may try now. */
    public synchronized Optional<Duration> refusal(String username, String address) {
        Instant now = Instant.now();
        Optional<Duration> byUser = wait(userKey(username), config.loginMaxFailuresPerUser(), now);
        Optional<Duration> byAddress = wait(addressKey(address), config.loginMaxFailuresPerAddress(), now);
        if (byUser.isPresent() && byAddress.isPresent()) {
            return Optional.of(byUser.get().compareTo(byAddress.get()) > 0 ? byUser.get() : byAddress.get());
        }
        return byUser.isPresent() ? byUser : byAddress;
    }

    public synchronized void failed(String username, String address) {
        if (failures.size() > MAX_KEYS) {
            prune(Instant.now());
        }
        Instant now = Instant.now();
        for (String key : new String[] {userKey(username), addressKey(address)}) {
            failures.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(now);
        }
    }

    /** A successful login clears its user name's count (not the address's: one success must not hide spraying). */
    public synchronized void succeeded(String username) {
        failures.remove(userKey(username));
    }

    /** Forgets every count; tests that need a clean slate call it. */
    public synchronized void clear() {
        failures.clear();
    }

    private Optional<Duration> wait(String key, int limit, Instant now) {
        Deque<Instant> times = failures.get(key);
        if (times == null) {
            return Optional.empty();
        }
        Instant horizon = now.minus(config.loginWindow());
        while (!times.isEmpty() && times.peekFirst().isBefore(horizon)) {
            times.pollFirst();
        }
        if (times.size() < limit) {
            return Optional.empty();
        }
        // Once the attempt at this position leaves the window, the count is below the limit again.
        Instant frees = times.toArray(Instant[]::new)[times.size() - limit].plus(config.loginWindow());
        return Optional.of(Duration.between(now, frees).plusSeconds(1));
    }

    private void prune(Instant now) {
        Instant horizon = now.minus(config.loginWindow());
        failures.entrySet().removeIf(e -> e.getValue().isEmpty() || e.getValue().peekLast().isBefore(horizon));
    }

    private static String userKey(String username) {
        return "user:" + (username == null ? "" : username.trim().toLowerCase(Locale.ROOT));
    }

    private static String addressKey(String address) {
        return "address:" + (address == null ? "unknown" : address);
    }
}
