package io.popfleet.security;

import java.util.Locale;
import java.util.Optional;

/**
 * The rules every request passes before any endpoint sees it. A browser attaches whatever the controller would
 * trust to requests that another site's page makes, so these rules look at what such a page cannot forge: the
 * {@code Host} it reached, its {@code Origin} and {@code Sec-Fetch-Site}, and whether its body could have been
 * sent without a CORS preflight (which the controller never grants).
 */
public final class CrossSiteRules {

    private final AllowedHosts hosts;

    public CrossSiteRules(AllowedHosts hosts) {
        this.hosts = hosts;
    }

    public Optional<Refusal> check(RequestFacts request) {
        Optional<HostName> host = HostName.parse(request.host());
        int defaultPort = "https".equals(request.scheme()) ? 443 : 80;
        if (host.isEmpty() || !hosts.allows(host.get(), request.localPort(), defaultPort)) {
            return Optional.of(Refusal.misdirected("this controller does not answer to the host name "
                    + (request.host() == null ? "(none)" : "'" + printable(request.host()) + "'")
                    + "; add it to popfleet.http.allowed-hosts if operators use it"));
        }
        if (!request.unsafe()) {
            return Optional.empty();
        }
        if ("cross-site".equalsIgnoreCase(request.fetchSite())) {
            return Optional.of(Refusal.crossSite("the browser reports this request as sent by another site"));
        }
        if (request.origin() != null && !sameOrigin(request.origin(), request.scheme(), host.get(), defaultPort)) {
            return Optional.of(Refusal.crossSite("a page from " + printable(request.origin())
                    + " may not send requests to this controller"));
        }
        // POST is the one method a page may send cross-site without a preflight, so it always declares its type;
        // PUT, PATCH and DELETE need a preflight anyway and only must when they carry a body.
        boolean post = "POST".equalsIgnoreCase(request.method());
        if (request.api() && request.contentType() == null && (post || request.body())) {
            return Optional.of(Refusal.contentType("a " + request.method()
                    + " to the API must declare its Content-Type (application/json, or the type the endpoint"
                    + " documents); a body without one is never read"));
        }
        if (request.api() && post && request.simpleBody() && !request.bearerOnly() && !request.csrfHeader()
                && request.origin() == null) {
            return Optional.of(Refusal.csrf("a " + request.contentType() + " body, which any web page can send,"
                    + " needs an API token, the CSRF token header or a same-origin Origin header"));
        }
        return Optional.empty();
    }

    /** Whether the REST layer must compare a CSRF token with the cookie for this request. */
    public static boolean needsToken(RequestFacts request) {
        return request.unsafe() && !request.bearerOnly() && (!request.api() || request.csrfHeader());
    }

    static boolean sameOrigin(String origin, String scheme, HostName host, int defaultPort) {
        String prefix = scheme + "://";
        String lower = origin.toLowerCase(Locale.ROOT);
        if (!lower.startsWith(prefix)) {
            return false; // "null" (sandboxed frames, file: pages) and other schemes are never this controller
        }
        return HostName.parse(lower.substring(prefix.length()))
                .map(o -> o.name().equals(host.name()) && o.portOr(defaultPort) == host.portOr(defaultPort))
                .orElse(false);
    }

    /** Header values go into the audit trail and the problem detail: keep them short and free of controls. */
    static String printable(String value) {
        String cut = value.length() > 200 ? value.substring(0, 200) + "…" : value;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
