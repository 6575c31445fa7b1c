package io.popfleet.security;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.quarkus.elytron.security.common.BcryptUtil;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.api.NotFoundProblem;

/** Local users: create, change role, disable, reset password, check a password. */
@ApplicationScoped
public class UserService {

    /** Lower case, so "Admin" and "admin" cannot be two users; no spaces or controls, so logs stay readable. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    static final int MIN_PASSWORD = 10;
    /** bcrypt reads at most 72 bytes: longer passwords would be silently cut, so they are refused. */
    static final int MAX_PASSWORD_BYTES = 72;
    private static final int BCRYPT_COST = 10;
    /** Checked when the user does not exist, so a wrong name takes as long as a wrong password. */
    private static final String DECOY_HASH = BcryptUtil.bcryptHash(Secrets.password(), BCRYPT_COST);

    /** A new user or a reset password; {@code password} is set only when the controller made it up (shown once). */
    public record WithPassword(UserView user, String password) {
    }

    @Inject
    AuditLog audit;

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<UserView> list() {
        return AppUser.ordered().stream().map(UserView::of).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public long count() {
        return AppUser.count();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UserView> find(String username) {
        return AppUser.byName(username).map(UserView::of);
    }

    @Transactional
    public WithPassword create(String username, String password, String role, String by) {
        String name = username == null ? "" : username.trim();
        if (!NAME.matcher(name).matches()) {
            throw new BadRequestProblem("invalid-username",
                    "a user name is 1-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a"
                            + " letter or digit");
        }
        if (AppUser.byName(name).isPresent()) {
            throw new ConflictProblem("user-exists", "there is already a user " + name);
        }
        Role parsed = role(role);
        String chosen = password == null || password.isEmpty() ? Secrets.password() : checked(password);
        AppUser user = new AppUser();
        user.username = name;
        user.passwordHash = BcryptUtil.bcryptHash(chosen, BCRYPT_COST);
        user.role = parsed.id();
        user.createdAt = Instant.now();
        user.createdBy = by;
        user.persist();
        audit.record(by, "user.create", name, AuditLog.OK, Map.of("role", parsed.id()));
        return new WithPassword(UserView.of(user), chosen.equals(password) ? null : chosen);
    }

    @Transactional
    public UserView changeRole(String username, String role, String by) {
        AppUser user = existing(username);
        Role parsed = role(role);
        if (user.role() == Role.ADMIN && parsed != Role.ADMIN) {
            keepOneAdmin(user);
        }
        String before = user.role;
        user.role = parsed.id();
        audit.record(by, "user.role", user.username, AuditLog.OK, Map.of("from", before, "to", parsed.id()));
        return UserView.of(user);
    }

    /** Disabling ends the user's sessions at once; their tokens are refused because the user is disabled. */
    @Transactional
    public UserView setDisabled(String username, boolean disabled, String by) {
        AppUser user = existing(username);
        if (disabled && user.role() == Role.ADMIN) {
            keepOneAdmin(user);
        }
        user.disabled = disabled;
        if (disabled) {
            UserSession.deleteForUser(user);
        }
        audit.record(by, disabled ? "user.disable" : "user.enable", user.username, AuditLog.OK, Map.of());
        return UserView.of(user);
    }

    /** A new password ends every session of the user: whoever knew the old one is logged out. */
    @Transactional
    public WithPassword resetPassword(String username, String password, String by) {
        AppUser user = existing(username);
        String chosen = password == null || password.isEmpty() ? Secrets.password() : checked(password);
        user.passwordHash = BcryptUtil.bcryptHash(chosen, BCRYPT_COST);
        UserSession.deleteForUser(user);
        audit.record(by, "user.password", user.username, AuditLog.OK, Map.of());
        return new WithPassword(UserView.of(user), chosen.equals(password) ? null : chosen);
    }

    /** The enabled user with this name and password; the same work is done whether the name exists or not. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<UserView> verify(String username, String password) {
        if (username == null || password == null || password.getBytes(StandardCharsets.UTF_8).length > 200) {
            return Optional.empty();
        }
        Optional<AppUser> user = AppUser.byName(username.trim());
        boolean matches = BcryptUtil.matches(password, user.map(u -> u.passwordHash).orElse(DECOY_HASH));
        return user.filter(u -> matches && !u.disabled).map(UserView::of);
    }

    private static AppUser existing(String username) {
        return AppUser.byName(username == null ? "" : username).orElseThrow(() -> new NotFoundProblem("user", username));
    }

    private static Role role(String role) {
        return Role.parse(role).orElseThrow(() -> new BadRequestProblem("invalid-role",
                "role must be viewer, operator or admin"));
    }

    static String checked(String password) {
        int bytes = password.getBytes(StandardCharsets.UTF_8).length;
        if (password.length() < MIN_PASSWORD || bytes > MAX_PASSWORD_BYTES) {
            throw new BadRequestProblem("weak-password", "a password has at least " + MIN_PASSWORD
                    + " characters and at most " + MAX_PASSWORD_BYTES + " bytes");
        }
        return password;
    }

    /** Refuses to demote or disable the last enabled admin: nobody could manage users afterwards. */
    private static void keepOneAdmin(AppUser leaving) {
        long others = AppUser.count("role = ?1 and disabled = false and id <> ?2", Role.ADMIN.id(), leaving.id);
        if (others == 0) {
            throw new ConflictProblem("last-admin", "this is the last enabled admin; make another admin first");
        }
    }
}
