package io.popfleet.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.RestQuery;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.PasswordCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import io.popfleet.security.AuditLog;
import io.popfleet.security.LocalPaths;
import io.popfleet.security.LoginThrottle;
import io.popfleet.security.SessionCookies;
import io.popfleet.security.SessionService;

/**
 * The login form and logout. The password is checked by the identity providers (the same path any other login
 * mechanism would take); a success opens a server-side session whose id goes into an HttpOnly, SameSite=Strict
 * cookie. Logout is {@link LogoutPage}. Failed logins are audited and counted per user name and per address.
 */
@Path("/login")
@PermitAll
public class LoginPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance login(String nav, String next, String username, String message);
    }

    @Inject
    IdentityProviderManager identities;

    @Inject
    SessionService sessions;

    @Inject
    LoginThrottle throttle;

    @Inject
    AuditLog audit;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance form(@RestQuery String next) {
        return Templates.login("", LocalPaths.safeNext(next), "", null);
    }

    @POST
    @Produces(MediaType.TEXT_HTML)
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response login(@RestForm String username, @RestForm String password, @RestForm String next,
            @Context HttpServerRequest request, @Context HttpServerResponse response) {
        String name = username == null ? "" : username.trim();
        String target = LocalPaths.safeNext(next);
        String address = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        var refusal = throttle.refusal(name, address);
        if (refusal.isPresent()) {
            audit.recordAlone(name, "auth.login", name, AuditLog.REFUSED,
                    Map.of("address", address, "reason", "rate-limited"));
            return page(429, target, name, "Too many failed logins for this user or from this address. Try again in "
                    + minutes(refusal.get()) + " minute(s).").header("Retry-After", refusal.get().toSeconds()).build();
        }
        SecurityIdentity identity;
        try {
            identity = identities.authenticateBlocking(new UsernamePasswordAuthenticationRequest(name,
                    new PasswordCredential((password == null ? "" : password).toCharArray())));
        } catch (AuthenticationFailedException e) {
            throttle.failed(name, address);
            audit.recordAlone(name.isEmpty() ? "anonymous" : name, "auth.login", name, AuditLog.FAILED,
                    Map.of("address", address));
            return page(401, target, name, "Wrong user name or password, or the user is disabled.").build();
        }
        throttle.succeeded(name);
        String secret = sessions.open(identity.getPrincipal().getName(), address);
        response.addCookie(SessionCookies.of(secret, request));
        return Response.seeOther(URI.create(target)).build();
    }

    private static Response.ResponseBuilder page(int status, String next, String username, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .entity(Templates.login("", next, username, message));
    }

    static String minutes(Duration wait) {
        return String.valueOf(Math.max(1, (wait.toSeconds() + 59) / 60));
    }
}
