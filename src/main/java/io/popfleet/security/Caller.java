package io.popfleet.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * Who is acting, for the audit trail and for pages that hide what the caller may not do. Reads only the
 * {@link SecurityIdentity} (its principal name and roles), so an identity from any mechanism fits: our sessions
 * and tokens today, OIDC later. Outside a request (scheduled work) the actor is the controller itself.
 */
@ApplicationScoped
@Named("caller")
public class Caller {

    public static final String SYSTEM = "controller";
    public static final String ANONYMOUS = "anonymous";

    @Inject
    SecurityIdentity identity;

    @Inject
    CurrentVertxRequest request;

    public String name() {
        if (!inRequest()) {
            return SYSTEM;
        }
        return identity.isAnonymous() ? ANONYMOUS : identity.getPrincipal().getName();
    }

    public boolean authenticated() {
        return inRequest() && !identity.isAnonymous();
    }

    /** Whether the caller holds {@code role} (roles imply weaker ones, see {@link RoleHierarchy}). */
    public boolean can(String role) {
        return inRequest() && identity.hasRole(role);
    }

    public boolean isAdmin() {
        return can(Roles.ADMIN);
    }

    /** The strongest of our roles the caller holds. */
    public Optional<Role> role() {
        return inRequest() ? Role.strongestOf(identity.getRoles()) : Optional.empty();
    }

    /** The address the request came from (the proxy's client address when forwarding is configured). */
    public Optional<String> address() {
        if (!inRequest()) {
            return Optional.empty();
        }
        RoutingContext context = request.getCurrent();
        return context == null || context.request().remoteAddress() == null ? Optional.empty()
                : Optional.of(context.request().remoteAddress().hostAddress());
    }

    private static boolean inRequest() {
        return Arc.container().requestContext().isActive();
    }
}
