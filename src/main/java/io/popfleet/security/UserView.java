package io.popfleet.security;

import java.time.Instant;

/** A user as the API shows it: never the password hash. */
public record UserView(long id, String username, String role, boolean disabled, Instant createdAt, String createdBy) {

    static UserView of(AppUser user) {
        return new UserView(user.id, user.username, user.role, user.disabled, user.createdAt, user.createdBy);
    }
}
