package io.popfleet.security;

/** Role names as compile-time constants, for {@code @RolesAllowed}. Their order lives in {@link Role}. */
public final class Roles {

    public static final String VIEWER = "viewer";
    public static final String OPERATOR = "operator";
    public static final String ADMIN = "admin";

    private Roles() {
    }
}
