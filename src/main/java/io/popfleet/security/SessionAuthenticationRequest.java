package io.popfleet.security;

import io.quarkus.security.identity.request.BaseAuthenticationRequest;

/** A session cookie's value, to be resolved by {@link SessionIdentityProvider}. */
public class SessionAuthenticationRequest extends BaseAuthenticationRequest {

    private final String secret;

    public SessionAuthenticationRequest(String secret) {
        this.secret = secret;
    }

    public String secret() {
        return secret;
    }
}
