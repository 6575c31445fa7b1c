package io.popfleet.security;

import java.net.URI;
import java.net.URISyntaxException;

/** Where a login may send the browser afterwards: only a path on this controller, never another site. */
public final class LocalPaths {

    private static final String HOME = "/";

    private LocalPaths() {
    }

    /**
     * {@code next} when it is a local path ("/runs/5?state=failed"); "/" for anything else: absolute or
     * protocol-relative URLs ("//evil.example"), backslashes that browsers read as slashes, control characters.
     */
    public static String safeNext(String next) {
        if (next == null || next.isEmpty() || next.length() > 2000 || !next.startsWith("/") || next.startsWith("//")
                || next.contains("\\") || next.chars().anyMatch(c -> c < 0x21 || c == 0x7f)
                || next.startsWith("/login") || next.startsWith("/logout")) {
            return HOME;
        }
        try {
            URI uri = new URI(next);
            return uri.getScheme() == null && uri.getRawAuthority() == null ? next : HOME;
        } catch (URISyntaxException e) {
            return HOME;
        }
    }

    /** The path and query of an absolute URL (htmx's HX-Current-URL), as a local path. */
    public static String pathOf(String url) {
        try {
            URI uri = new URI(url);
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? HOME : uri.getRawPath();
            return safeNext(uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery());
        } catch (URISyntaxException e) {
            return HOME;
        }
    }
}
