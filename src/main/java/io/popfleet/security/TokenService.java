package io.popfleet.security;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.NotFoundProblem;

/**
 * API tokens: random 256-bit secrets shown once, stored as SHA-256. Every request looks its token up in the
 * database, without a cache, so a revoked token, a disabled user or a lowered role is refused at once.
 */
@ApplicationScoped
public class TokenService {

    public static final String PREFIX = "pft_";
    private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);
    private static final int MAX_NAME = 100;

    /** A new token: {@code token} is the secret, in this answer and nowhere else. */
    public record Created(TokenView view, String token) {
    }

    @Inject
    SecurityConfig config;

    @Inject
    AuditLog audit;

    /**
     * @param role at most the owner's role; null takes the owner's role
     * @param lifetime null takes the default; capped by the configured maximum
     */
    @Transactional
    public Created create(String owner, String name, String role, Duration lifetime, String by) {
        AppUser user = AppUser.byName(owner == null ? "" : owner).orElseThrow(() -> new NotFoundProblem("user", owner));
        String label = name == null ? "" : name.strip();
        if (label.isEmpty() || label.length() > MAX_NAME || label.chars().anyMatch(Character::isISOControl)) {
            throw new BadRequestProblem("invalid-token-name", "a token name is 1-" + MAX_NAME
                    + " characters on one line");
        }
        Role granted = role == null || role.isBlank() ? user.role() : Role.parse(role).orElseThrow(
                () -> new BadRequestProblem("invalid-role", "role must be viewer, operator or admin"));
        if (!user.role().atLeast(granted)) {
            throw new BadRequestProblem("role-too-high", "a token cannot hold more than its user's role ("
                    + user.role + ")");
        }
        Duration life = lifetime == null ? config.tokenDefaultLifetime() : lifetime;
        if (life.compareTo(Duration.ofDays(1)) < 0 || life.compareTo(config.tokenMaxLifetime()) > 0) {
            throw new BadRequestProblem("invalid-lifetime", "a token lives between 1 day and "
                    + config.tokenMaxLifetime().toDays() + " days");
        }
        String secret = Secrets.random(PREFIX);
        ApiToken token = new ApiToken();
        token.user = user;
        token.name = label;
        token.tokenHash = Secrets.sha256(secret);
        token.role = granted.id();
        token.createdAt = Instant.now();
        token.expiresAt = token.createdAt.plus(life);
        token.persist();
        audit.record(by, "token.create", user.username, AuditLog.OK,
                Map.of("token", token.id, "name", label, "role", granted.id(), "expiresAt", token.expiresAt.toString()));
        return new Created(TokenView.of(token), secret);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<TokenView> list(String owner) {
        return AppUser.byName(owner == null ? "" : owner).map(ApiToken::ofUser).orElse(List.of()).stream()
                .map(TokenView::of).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<TokenView> find(long id) {
        return ApiToken.<ApiToken>findByIdOptional(id).map(TokenView::of);
    }

    @Transactional
    public TokenView revoke(long id, String by) {
        ApiToken token = ApiToken.<ApiToken>findByIdOptional(id).orElseThrow(() -> new NotFoundProblem("token", id));
        if (token.revokedAt == null) {
            token.revokedAt = Instant.now();
            audit.record(by, "token.revoke", token.user.username, AuditLog.OK, Map.of("token", id, "name", token.name));
        }
        return TokenView.of(token);
    }

    /** Who this bearer secret stands for, if it is known, unrevoked, unexpired and its user enabled. */
    @Transactional
    public Optional<Authenticated> resolve(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        Instant now = Instant.now();
        return ApiToken.byHash(Secrets.sha256(secret))
                .filter(t -> t.revokedAt == null && now.isBefore(t.expiresAt) && !t.user.disabled)
                .map(t -> {
                    if (t.lastUsedAt == null || now.isAfter(t.lastUsedAt.plus(TOUCH_EVERY))) {
                        t.lastUsedAt = now;
                    }
                    // The user's current role caps the token's: demoting a user demotes their tokens.
                    Role role = Role.parse(t.role).orElse(Role.VIEWER).atMost(t.user.role());
                    return new Authenticated(t.user.username, role, "token");
                });
    }
}
