package io.popfleet.security;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Login, session and token settings. The first admin's password comes only from the environment. */
@ConfigMapping(prefix = "popfleet.security")
public interface SecurityConfig {

    /** Name of the first admin, created at first start when there are no users ({@code POPFLEET_ADMIN_USER}). */
    @WithName("admin-user")
    @WithDefault("admin")
    String adminUser();

    /**
     * Password of the first admin ({@code POPFLEET_ADMIN_PASSWORD}); without it a random one is printed once at
     * first start. Read only when there are no users yet.
     */
    @WithName("admin-password")
    Optional<String> adminPassword();

    /** A session not used for this long ends. */
    @WithName("session-idle-timeout")
    @WithDefault("PT30M")
    Duration sessionIdleTimeout();

    /** A session ends this long after login, however busy. */
    @WithName("session-absolute-timeout")
    @WithDefault("PT12H")
    Duration sessionAbsoluteTimeout();

    /** Failed logins for one user name within {@link #loginWindow()} before further attempts are refused. */
    @WithName("login-max-failures-per-user")
    @WithDefault("5")
    int loginMaxFailuresPerUser();

    /** Failed logins from one address within {@link #loginWindow()} before further attempts are refused. */
    @WithName("login-max-failures-per-address")
    @WithDefault("20")
    int loginMaxFailuresPerAddress();

    /** How long a failed login counts against its user name and address. */
    @WithName("login-window")
    @WithDefault("PT15M")
    Duration loginWindow();

    /** Lifetime of an API token when its creator names none. */
    @WithName("token-default-lifetime")
    @WithDefault("P90D")
    Duration tokenDefaultLifetime();

    /** The longest lifetime a token may be given. */
    @WithName("token-max-lifetime")
    @WithDefault("P366D")
    Duration tokenMaxLifetime();

    /**
     * Refused requests of one kind (source address, problem, request line) written to the audit trail one by one
     * per minute; further ones that minute are counted and written as one {@code http.refused.repeated} row. All
     * kinds together are held to 30 times this.
     */
    @WithName("refusal-audit-per-minute")
    @WithDefault("10")
    int refusalAuditPerMinute();
}
