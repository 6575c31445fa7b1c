package io.popfleet.web;

import java.net.URI;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import io.popfleet.security.PopFleetAuthMechanism;
import io.popfleet.security.SessionCookies;
import io.popfleet.security.SessionService;

/** Logout: ends the session and forgets the cookie. Open to anyone, so a stale cookie can always be cleared. */
@Path("/logout")
@PermitAll
public class LogoutPage {

    @Inject
    SessionService sessions;

    @POST
    public Response logout(@Context HttpServerRequest request, @Context HttpServerResponse response) {
        Cookie cookie = request.getCookie(PopFleetAuthMechanism.COOKIE);
        if (cookie != null) {
            sessions.close(cookie.getValue());
        }
        response.addCookie(SessionCookies.expired(request));
        return Response.seeOther(URI.create("/login")).build();
    }
}
