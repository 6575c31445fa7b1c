package io.popfleet.security;

import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;

/**
 * Who a session or token stands for, resolved from the database on every request (so a disabled user, a lowered
 * role or a revoked token takes effect at once).
 *
 * @param via "password", "session" or "token", kept as an identity attribute for the audit trail
 */
public record Authenticated(String username, Role role, String via) {

    public static final String VIA = "popfleet.via";

    public SecurityIdentity identity() {
        return QuarkusSecurityIdentity.builder().setPrincipal(new QuarkusPrincipal(username))
                .addRoles(role.withImplied()).addAttribute(VIA, via).build();
    }
}
