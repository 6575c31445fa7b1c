package io.popfleet.security;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Who is acting, for the audit trail. Until users and roles exist the controller listens on loopback only and
 * everyone at it is the local operator; this is the one place that will read the authenticated user.
 */
@ApplicationScoped
public class Caller {

    public static final String LOCAL_OPERATOR = "local-operator";

    public String name() {
        return LOCAL_OPERATOR;
    }
}
