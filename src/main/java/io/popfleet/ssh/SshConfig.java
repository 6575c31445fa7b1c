package io.popfleet.ssh;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** SSH settings ({@code popfleet.ssh.*}); defaults suit a laptop, tests shrink the timeouts. */
@ConfigMapping(prefix = "popfleet.ssh")
public interface SshConfig {

    /** TCP connect budget per node. */
    @WithDefault("10s")
    Duration connectTimeout();

    /** Key exchange, host-key check and user authentication together. */
    @WithDefault("15s")
    Duration authTimeout();

    /** From opening the exec channel to its close. */
    @WithDefault("120s")
    Duration execTimeout();

    /** Per stream; more is truncated, flagged and fails the command as bad_output. */
    @WithDefault("1048576")
    int maxOutputBytes();

    /** Key-exchange algorithms in preference order (see SshSettings.DEFAULT_KEX_ORDER for why this order). */
    @WithDefault("mlkem768x25519-sha256,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
            + "ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,"
            + "diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256")
    List<String> kexOrder();

    /** strict (pin before first connect) or tofu (pin on first connect, audited). */
    @WithDefault("strict")
    String hostKeyPolicy();

    /** Connections being set up at once across the fleet (tuned by the benchmark). */
    @WithDefault("64")
    int maxConcurrentConnects();

    /** Channels at once on one pooled session; OpenSSH's MaxSessions defaults to 10. */
    @WithDefault("8")
    int maxChannelsPerSession();

    /**
     * How long a pooled session may sit unused before it is closed. Unset (the default): longer than the longest
     * gap between two metric polls ({@link SshSettings#idleTimeoutFor}), so steady monitoring never reconnects.
     */
    Optional<Duration> sessionIdleTimeout();

    @WithDefault("30s")
    Duration heartbeatInterval();

    /** NIO threads of the one SshClient: the controller's SSH threads do not grow with the fleet. */
    @WithDefault("2")
    int ioThreads();

    default SshSettings toSettings() {
        int cap = maxOutputBytes();
        return new SshSettings(new ExecLimits(connectTimeout(), authTimeout(), execTimeout(), cap, cap), kexOrder(),
                HostKeyPolicy.valueOf(hostKeyPolicy().trim().toUpperCase(java.util.Locale.ROOT)),
                maxConcurrentConnects(), maxChannelsPerSession(),
                sessionIdleTimeout().orElse(SshSettings.defaults().sessionIdleTimeout()), heartbeatInterval(),
                ioThreads());
    }
}
