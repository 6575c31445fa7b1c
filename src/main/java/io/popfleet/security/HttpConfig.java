package io.popfleet.security;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** How the controller meets browsers and the network: which host names it answers to, TLS, run confirmations. */
@ConfigMapping(prefix = "popfleet.http")
public interface HttpConfig {

    /**
     * The {@code Host} values the controller answers to, as {@code name} or {@code name:port}; a name without a
     * port matches the port the request arrived on. Anything else is refused with 421, which stops DNS
     * rebinding. Unset: the bind address, {@code localhost}, {@code 127.0.0.1} and {@code [::1]}. Set it to the
     * name operators type (e.g. {@code fleet.example.org}) when the controller listens beyond loopback.
     */
    @WithName("allowed-hosts")
    Optional<List<String>> allowedHosts();

    /** How long the confirmation of a mutating run, shown with the node count, stays usable. */
    @WithName("confirmation-ttl")
    @WithDefault("15m")
    Duration confirmationTtl();

    /** HTTPS. */
    Tls tls();

    interface Tls {
        /**
         * {@code off} (plain HTTP; fine on loopback), {@code file} (serve {@code cert-file}/{@code key-file}) or
         * {@code self-signed} (generate a certificate and key into the data dir on first start, then reuse them).
         */
        @WithDefault("off")
        TlsMode mode();

        /** PEM certificate chain, for {@code mode=file}. */
        @WithName("cert-file")
        Optional<Path> certFile();

        /** PEM private key, for {@code mode=file}. */
        @WithName("key-file")
        Optional<Path> keyFile();

        /** Where the self-signed pair lives; unset: {@code <data-dir>/tls}. */
        @WithName("self-signed-dir")
        Optional<Path> selfSignedDir();

        /** Extra DNS names or addresses the self-signed certificate names besides localhost and loopback. */
        @WithName("self-signed-names")
        Optional<List<String>> selfSignedNames();
    }

    enum TlsMode {
        OFF, FILE, SELF_SIGNED
    }
}
