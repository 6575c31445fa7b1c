package io.popfleet.security;

/**
 * Why a request was turned away before reaching any endpoint.
 *
 * @param code the stable problem code ({@code urn:popfleet:problem:<code>}, listed in docs/api.md)
 * @param reason what exactly was wrong, for the audit trail and the problem's detail
 */
public record Refusal(int status, String code, String title, String reason) {

    static Refusal misdirected(String reason) {
        return new Refusal(421, "host-not-allowed", "Misdirected request", reason);
    }

    static Refusal crossSite(String reason) {
        return new Refusal(403, "cross-site-request", "Forbidden", reason);
    }

    static Refusal csrf(String reason) {
        return new Refusal(403, "csrf-token-invalid", "Forbidden", reason);
    }

    static Refusal contentType(String reason) {
        return new Refusal(415, "content-type-required", "Unsupported Media Type", reason);
    }
}
