package io.popfleet.ssh;

import java.time.Duration;
import java.util.List;

/**
 * The engine's settings as a plain value, so the engine runs the same inside Quarkus ({@link SshConfig}) and in
 * the benchmark's bare JVM.
 */
public record SshSettings(ExecLimits limits, List<String> kexOrder, HostKeyPolicy hostKeyPolicy,
        int maxConcurrentConnects, int maxChannelsPerSession, Duration sessionIdleTimeout,
        Duration heartbeatInterval, int ioThreads) {

    /**
     * Post-quantum hybrid first: mlkem768x25519 measured only ~10% slower than curve25519 on 1,000 cold loopback
     * connects (docs/benchmarks.md), a small price against record-now-decrypt-later. Servers without it (OpenSSH
     * before 9.9) get curve25519. MINA's default sntrup761x25519 is left out on purpose: ~50% slower in pure
     * Java here (the issue measured ~5x on its machine); add it with {@code popfleet.ssh.kex-order} if wanted.
     */
    public static final List<String> DEFAULT_KEX_ORDER = List.of(
            "mlkem768x25519-sha256", "curve25519-sha256", "curve25519-sha256@libssh.org",
            "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512",
            "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256");

    public static SshSettings defaults() {
        return new SshSettings(
                new ExecLimits(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(120),
                        ExecLimits.ONE_MIB, ExecLimits.ONE_MIB),
                DEFAULT_KEX_ORDER, HostKeyPolicy.STRICT, 64, 8, idleTimeoutFor(Duration.ofMinutes(5), 0.1),
                Duration.ofSeconds(30), 2);
    }

    /**
     * A session idle timeout that outlives the gap between two polls of the same node: the interval stretched by
     * twice its jitter (one poll early, the next late), plus two minutes for where in a poll the node comes
     * (a poll of a large fleet takes a while). With the 30 s keepalive the session then stays up between polls, and
     * a steady fleet never pays a handshake; 8 minutes for the default 5-minute poll.
     */
    public static Duration idleTimeoutFor(Duration pollInterval, double jitter) {
        long stretched = (long) (pollInterval.toMillis() * (1 + 2 * Math.max(0, jitter)));
        return Duration.ofMillis(stretched).plusMinutes(2);
    }

    public SshSettings withLimits(ExecLimits newLimits) {
        return new SshSettings(newLimits, kexOrder, hostKeyPolicy, maxConcurrentConnects, maxChannelsPerSession,
                sessionIdleTimeout, heartbeatInterval, ioThreads);
    }

    public SshSettings withHostKeyPolicy(HostKeyPolicy policy) {
        return new SshSettings(limits, kexOrder, policy, maxConcurrentConnects, maxChannelsPerSession,
                sessionIdleTimeout, heartbeatInterval, ioThreads);
    }

    public SshSettings withKexOrder(List<String> order) {
        return new SshSettings(limits, order, hostKeyPolicy, maxConcurrentConnects, maxChannelsPerSession,
                sessionIdleTimeout, heartbeatInterval, ioThreads);
    }

    public SshSettings withMaxConcurrentConnects(int connects) {
        return new SshSettings(limits, kexOrder, hostKeyPolicy, connects, maxChannelsPerSession,
                sessionIdleTimeout, heartbeatInterval, ioThreads);
    }

    public SshSettings withSessionIdleTimeout(Duration idle) {
        return new SshSettings(limits, kexOrder, hostKeyPolicy, maxConcurrentConnects, maxChannelsPerSession,
                idle, heartbeatInterval, ioThreads);
    }
}
