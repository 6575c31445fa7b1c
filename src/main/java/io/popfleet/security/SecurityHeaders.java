package io.popfleet.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.core.MultiMap;

/**
 * The headers every response carries. The pages run only scripts served from this controller (no inline
 * script, no eval), cannot be framed, and send no referrer elsewhere. Style attributes stay allowed: the pages
 * draw progress bars with {@code style="width:…"} and uPlot positions its canvas the same way; a style cannot run
 * code.
 */
@ApplicationScoped
public class SecurityHeaders {

    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline';"
            + " img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self';"
            + " frame-ancestors 'none'";

    /**
     * Quarkus' bundled Swagger UI starts itself with an inline script; it is a read-only page of our own OpenAPI
     * document, so it alone may run inline script. It still cannot be framed.
     */
    static final String SWAGGER_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self'"
            + " 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none';"
            + " frame-ancestors 'none'";

    public void apply(String path, MultiMap headers) {
        headers.set("Content-Security-Policy", path != null && path.startsWith("/q/swagger-ui") ? SWAGGER_CSP : CSP);
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Referrer-Policy", "same-origin");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        headers.set("Cross-Origin-Resource-Policy", "same-origin");
    }
}
