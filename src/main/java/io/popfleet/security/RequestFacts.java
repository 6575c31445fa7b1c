package io.popfleet.security;

import java.util.Locale;
import java.util.Set;

/**
 * What the cross-site rules look at in one request, taken from its headers so the rules stay plain functions.
 *
 * @param scheme {@code http} or {@code https}, as the controller was reached
 * @param host the {@code Host} header, null when absent
 * @param localPort the port the request arrived on
 * @param origin the {@code Origin} header, null when absent
 * @param fetchSite the {@code Sec-Fetch-Site} header, null when absent
 * @param contentType the media type without parameters, lower case; null when absent
 * @param bearerOnly {@code Authorization: Bearer} and no session cookie: an API client, not a browser
 * @param csrfHeader whether the CSRF token header is present (its value is checked against the cookie later)
 * @param body whether the request announces a body ({@code Content-Length} above 0 or {@code Transfer-Encoding})
 */
public record RequestFacts(String method, String path, String scheme, String host, int localPort, String origin,
        String fetchSite, String contentType, boolean bearerOnly, boolean csrfHeader, boolean body) {

    /** Methods a browser may send cross-site without a CORS preflight; the rest need one we never grant. */
    private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

    /** Bodies a cross-site page may POST without a preflight (the "simple" content types of the Fetch standard). */
    private static final Set<String> SIMPLE_TYPES = Set.of("text/plain", "application/x-www-form-urlencoded",
            "multipart/form-data");

    public boolean unsafe() {
        return !SAFE.contains(method.toUpperCase(Locale.ROOT));
    }

    public boolean api() {
        return path.startsWith("/api/");
    }

    /** A body a cross-site form or no-cors fetch can send; null counts, since such a fetch may omit the type. */
    public boolean simpleBody() {
        return contentType == null || SIMPLE_TYPES.contains(contentType);
    }

    public static String mediaType(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }
}
