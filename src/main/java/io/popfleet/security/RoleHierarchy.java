package io.popfleet.security;

import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Gives every identity the roles its strongest role implies (admin → operator, viewer), whatever mechanism made
 * it: our sessions and tokens, OIDC later, {@code @TestSecurity} in tests ({@code augmentors = RoleHierarchy.class}).
 */
@ApplicationScoped
public class RoleHierarchy implements SecurityIdentityAugmentor {

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous()) {
            return Uni.createFrom().item(identity);
        }
        Role strongest = Role.strongestOf(identity.getRoles()).orElse(null);
        if (strongest == null || identity.getRoles().containsAll(strongest.withImplied())) {
            return Uni.createFrom().item(identity);
        }
        Set<String> roles = new HashSet<>(strongest.withImplied());
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addRoles(roles).build());
    }
}
