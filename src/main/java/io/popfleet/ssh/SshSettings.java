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
     * curve25519 first: in pure Java it is about 5x cheaper than MINA's default sntrup761x25519 on a cold connect.
     * mlkem768x25519 (post-quantum hybrid) comes next, so it is still chosen by servers that offer nothing else we
     * prefer; put it first with {@code popfleet.ssh.kex-order} to prefer post-quantum at its measured cost
     * (docs/benchmarks.md).
     */
    public static final List<String> DEFAULT_KEX_ORDER = List.of(
            "curve25519-sha256", "curve25519-sha256@libssh.org", "mlkem768x25519-sha256",
            "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
            "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512",
            "diffie-hellman-group18-sha512", "diffie-hellman-group14-sha256");

    public static SshSettings defaults() {
        return new SshSettings(
                new ExecLimits(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(120),
                        ExecLimits.ONE_MIB, ExecLimits.ONE_MIB),
                DEFAULT_KEX_ORDER, HostKeyPolicy.STRICT, 64, 8, Duration.ofMinutes(5), Duration.ofSeconds(30), 2);
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
