package io.popfleet.security;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The three roles, weakest first. A role holds every weaker one, so an endpoint declares only the least role it
 * needs ({@code @RolesAllowed(Roles.VIEWER)}) and {@link RoleHierarchy} adds the implied roles to every identity.
 */
public enum Role {
    VIEWER(Roles.VIEWER), OPERATOR(Roles.OPERATOR), ADMIN(Roles.ADMIN);

    private final String id;

    Role(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** This role and every weaker one, as role names. */
    public Set<String> withImplied() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Role::id)
                .collect(Collectors.toUnmodifiableSet());
    }

    public boolean atLeast(Role other) {
        return ordinal() >= other.ordinal();
    }

    public Role atMost(Role cap) {
        return atLeast(cap) ? cap : this;
    }

    public static Optional<Role> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String wanted = value.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(r -> r.id.equals(wanted)).findFirst();
    }

    /** The strongest role among {@code names}, if any is ours (an OIDC token may carry others). */
    public static Optional<Role> strongestOf(Set<String> names) {
        Role best = null;
        for (String name : names) {
            Role role = parse(name).orElse(null);
            if (role != null && (best == null || role.atLeast(best))) {
                best = role;
            }
        }
        return Optional.ofNullable(best);
    }
}
