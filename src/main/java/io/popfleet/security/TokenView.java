package io.popfleet.security;

import java.time.Instant;

/** An API token without its secret. */
public record TokenView(long id, String name, String user, String role, Instant createdAt, Instant expiresAt,
        Instant lastUsedAt, Instant revokedAt) {

    static TokenView of(ApiToken token) {
        return new TokenView(token.id, token.name, token.user.username, token.role, token.createdAt, token.expiresAt,
                token.lastUsedAt, token.revokedAt);
    }
}
