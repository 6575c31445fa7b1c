package io.popfleet.security;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServerRequest;

/**
 * The session cookie: HttpOnly (no script reads it), SameSite=Strict (no other site's page, link or form sends it,
 * so cross-site requests arrive anonymous; the price is a login when following a link from elsewhere, which
 * suits a console that commands a fleet), Secure whenever the request came over TLS, path "/", and no Max-Age:
 * it dies with the browser, and the server ends it sooner (idle and absolute expiry).
 */
public final class SessionCookies {

    private SessionCookies() {
    }

    public static Cookie of(String value, HttpServerRequest request) {
        return Cookie.cookie(PopFleetAuthMechanism.COOKIE, value).setPath("/").setHttpOnly(true)
                .setSameSite(CookieSameSite.STRICT).setSecure(overTls(request));
    }

    public static Cookie expired(HttpServerRequest request) {
        return of("", request).setMaxAge(0);
    }

    /** TLS here or, behind a proxy with forwarding enabled, at the proxy (Vert.x then reports its scheme). */
    static boolean overTls(HttpServerRequest request) {
        return request.isSSL() || "https".equalsIgnoreCase(request.scheme());
    }
}
