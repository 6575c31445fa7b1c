package io.popfleet.security;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.identity.request.TokenAuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

/**
 * How a request says who it is: {@code Authorization: Bearer <token>} (the API) or the session cookie (the
 * console). Neither means anonymous; endpoints then decide. Resolving goes through identity providers, so an OIDC
 * mechanism can be added beside this one without touching the endpoints.
 *
 * <p>The challenge sends a browser asking for a page to the login form and answers everything else with a 401
 * problem.
 */
@ApplicationScoped
public class PopFleetAuthMechanism implements HttpAuthenticationMechanism {

    public static final String COOKIE = "popfleet_session";
    private static final String BEARER = "bearer ";
    private static final String CHALLENGE = "Bearer realm=\"popfleet\"";
    /** The 401 problem, the same from the HTTP layer and from resources. */
    public static final String UNAUTHENTICATED = "{\"type\":\"urn:popfleet:problem:unauthenticated\","
            + "\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"log in, or send Authorization: Bearer"
            + " <token> with a valid, unrevoked API token\"}";

    @Inject
    AccessAudit accessAudit;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager providers) {
        String authorization = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            String token = authorization.substring(BEARER.length()).trim();
            TokenAuthenticationRequest request = new TokenAuthenticationRequest(new TokenCredential(token, "bearer"));
            HttpSecurityUtils.setRoutingContextAttribute(request, context);
            return providers.authenticate(request).onFailure(AuthenticationFailedException.class)
                    .invoke(e -> accessAudit.refused("anonymous", "auth.token", context.normalizedPath(),
                            Map.of("address", address(context.request()), "method", context.request().method().name())));
        }
        Cookie cookie = context.request().getCookie(COOKIE);
        if (cookie != null) {
            SessionAuthenticationRequest request = new SessionAuthenticationRequest(cookie.getValue());
            HttpSecurityUtils.setRoutingContextAttribute(request, context);
            // An ended session is no error: the caller is anonymous again, and public pages (the login form) work.
            return providers.authenticate(request).onFailure(AuthenticationFailedException.class).recoverWithItem(() -> {
                context.response().addCookie(SessionCookies.expired(context.request()));
                return null;
            });
        }
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(TokenAuthenticationRequest.class, SessionAuthenticationRequest.class);
    }

    /**
     * Ahead of any other mechanism, so that ours answers the challenge (login redirect or 401 problem); it yields
     * to the next mechanism when a request carries neither a bearer token nor a session cookie.
     */
    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 100;
    }

    /** Without a body: RESTEasy's own refusals use this; {@code AccessProblems} answers those with a body. */
    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (wantsPage(context.request())) {
            return Uni.createFrom().item(new ChallengeData(302, HttpHeaders.LOCATION, loginUrl(context.request().uri())));
        }
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", CHALLENGE));
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (context.response().ended()) {
            return Uni.createFrom().item(true);
        }
        if (wantsPage(request)) {
            String next = request.uri();
            if (request.getHeader("HX-Request") != null) {
                // htmx swaps fragments: tell it to load the login page as a whole, back to the page it was on.
                String current = request.getHeader("HX-Current-URL");
                context.response().setStatusCode(401).putHeader("HX-Redirect", loginUrl(current == null ? "/"
                        : LocalPaths.pathOf(current))).end();
            } else {
                context.response().setStatusCode(302).putHeader(HttpHeaders.LOCATION, loginUrl(next)).end();
            }
            return Uni.createFrom().item(true);
        }
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", CHALLENGE)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json").end(UNAUTHENTICATED);
        return Uni.createFrom().item(true);
    }

    /** A browser navigating to a page (not the API, not a tool asking /q/ for JSON). */
    public static boolean wantsPage(HttpServerRequest request) {
        String path = request.path();
        if (path.startsWith("/api/") || request.getHeader(HttpHeaders.AUTHORIZATION) != null) {
            return false;
        }
        if (path.startsWith("/q/")) {
            String accept = request.getHeader(HttpHeaders.ACCEPT);
            return request.method() == HttpMethod.GET && accept != null && accept.contains("text/html");
        }
        return true;
    }

    public static String loginUrl(String next) {
        String local = LocalPaths.safeNext(next);
        return "/login" + (local.equals("/") ? "" : "?next=" + URLEncoder.encode(local, StandardCharsets.UTF_8));
    }

    static String address(HttpServerRequest request) {
        return request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
    }
}
