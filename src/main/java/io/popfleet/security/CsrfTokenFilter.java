package io.popfleet.security;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.ext.web.RoutingContext;

import io.popfleet.api.ApiProblem;

/**
 * Checks the CSRF token of every form post and htmx request: the value in the form field or header must equal
 * the token cookie ({@link CsrfTokens}). API clients with a bearer token, and JSON calls, which browsers cannot
 * send cross-site without a preflight, need none (see {@link CrossSiteRules#needsToken}). Here rather than in
 * {@link CrossSiteGate} because a form's token is in its body, which only the REST layer reads.
 */
public class CsrfTokenFilter {

    @Inject
    RefusalAudit refusals;

    @Inject
    Caller caller;

    @WithFormRead
    @ServerRequestFilter
    public Uni<Response> check(ResteasyReactiveContainerRequestContext context, RoutingContext routing) {
        // The gate read these for every request; a request that did not pass it never gets here.
        RequestFacts request = routing.get(CrossSiteGate.FACTS);
        if (request == null || !CrossSiteRules.needsToken(request)) {
            return Uni.createFrom().nullItem();
        }
        String cookie = CsrfTokens.sent(routing);
        String sent = context.getHeaderString(CsrfTokens.HEADER);
        if (sent == null && context.getServerRequestContext() instanceof ResteasyReactiveRequestContext rest) {
            Object field = rest.getFormParameter(CsrfTokens.FIELD, true, false);
            sent = field instanceof String text ? text : null;
        }
        String reason = cookie == null ? "the CSRF cookie is missing: load the page again before sending the form"
                : sent == null ? "the form or request carries no CSRF token"
                        : !CsrfTokens.matches(cookie, sent) ? "the CSRF token does not match this browser's" : null;
        if (reason == null) {
            return Uni.createFrom().nullItem();
        }
        Refusal refusal = Refusal.csrf(reason);
        String actor = caller.name();
        String address = routing.request().remoteAddress() == null ? null
                : routing.request().remoteAddress().hostAddress();
        return Uni.createFrom().item(() -> {
            refusals.record(actor, refusal, request, address);
            return Response.status(refusal.status()).type(ApiProblem.MEDIA_TYPE).entity(ApiProblem.of(
                    refusal.code(), refusal.title(), refusal.status(), refusal.reason(), null)).build();
        }).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }
}
