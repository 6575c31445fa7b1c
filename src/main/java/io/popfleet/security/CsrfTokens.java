package io.popfleet.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.ext.web.RoutingContext;

/**
 * The CSRF token: a random value in an HttpOnly, SameSite=Strict cookie, repeated by the page in every form
 * ({@code {csrf:token}}) and htmx request (header). Another site's page can make the browser send the cookie, but
 * cannot read it or the page, so it cannot repeat the value (double-submit cookie).
 *
 * <p>Quarkus' REST CSRF extension does the same, but it answers every cookie-less POST with a bare 400 — even JSON
 * from API clients, and even with its verification off — and its refusals never reach the audit trail.
 */
public final class CsrfTokens {

    public static final String COOKIE = "popfleet-csrf";
    public static final String FIELD = "csrf-token";
    public static final String HEADER = "X-CSRF-Token";

    /** The token of the current request, kept on its routing context for the templates. */
    static final String CONTEXT_KEY = "popfleet.csrf-token";

    private static final SecureRandom RANDOM = new SecureRandom();

    private CsrfTokens() {
    }

    /** Reuses the browser's token, or issues one with this response. */
    static void attach(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        String token = cookie == null ? null : cookie.getValue();
        if (token == null || !token.matches("[A-Za-z0-9_-]{43}")) {
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            ctx.response().addCookie(Cookie.cookie(COOKIE, token).setPath("/").setHttpOnly(true)
                    .setSameSite(CookieSameSite.STRICT).setSecure(ctx.request().isSSL()));
        }
        ctx.put(CONTEXT_KEY, token);
    }

    static String current(RoutingContext ctx) {
        return ctx == null ? "" : ctx.get(CONTEXT_KEY, "");
    }

    /** The cookie the browser sent, not one issued with this response. */
    static String sent(RoutingContext ctx) {
        Cookie cookie = ctx.request().getCookie(COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    static boolean matches(String expected, String sent) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }
}
