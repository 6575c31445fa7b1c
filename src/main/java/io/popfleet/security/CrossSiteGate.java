package io.popfleet.security;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.RoutingContext;

import io.popfleet.api.ApiProblem;

/**
 * Applies {@link CrossSiteRules} to every request — pages, API, static files, {@code /q} — before routing, and
 * puts the security headers on every response. A refusal is problem details, written to the audit trail first.
 */
@ApplicationScoped
public class CrossSiteGate {

    private static final Logger LOG = Logger.getLogger(CrossSiteGate.class);

    /** Above Quarkus' own filters (CORS, headers) so nothing answers a request these rules refuse. */
    private static final int PRIORITY = 10_000;

    /** Refused before any login: there is no user to name yet. */
    static final String UNAUTHENTICATED = "unauthenticated";

    /** Where the gate leaves the request's facts for {@link CsrfTokenFilter}. */
    static final String FACTS = "popfleet.request-facts";

    @Inject
    HttpConfig config;

    @Inject
    RefusalAudit refusals;

    @Inject
    SecurityHeaders headers;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "quarkus.http.host")
    String bindHost;

    private CrossSiteRules rules;

    void register(@Observes Filters filters) {
        rules = new CrossSiteRules(AllowedHosts.of(config.allowedHosts(), bindHost));
        LOG.debugf("answering to hosts %s", rules);
        filters.register(this::filter, PRIORITY);
    }

    private void filter(RoutingContext ctx) {
        headers.apply(ctx.request().path(), ctx.response().headers());
        RequestFacts request = facts(ctx.request());
        Optional<Refusal> refusal = rules.check(request);
        if (refusal.isEmpty()) {
            CsrfTokens.attach(ctx);
            ctx.put(FACTS, request);
            ctx.next();
            return;
        }
        String address = ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
        ctx.vertx().executeBlocking(() -> {
            refusals.record(UNAUTHENTICATED, refusal.get(), request, address);
            return null;
        }, false).onComplete(done -> {
            if (done.failed()) {
                LOG.errorf(done.cause(), "could not audit a refused request: %s", refusal.get().reason());
            }
            respond(ctx, refusal.get());
        });
    }

    private void respond(RoutingContext ctx, Refusal refusal) {
        ApiProblem problem = ApiProblem.of(refusal.code(), refusal.title(), refusal.status(), refusal.reason(), null);
        String body;
        try {
            body = json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            body = "{}";
        }
        ctx.response().setStatusCode(refusal.status()).putHeader("Content-Type", ApiProblem.MEDIA_TYPE)
                // The connection may belong to a rebinding page: close it rather than serve it again.
                .putHeader("Connection", refusal.status() == 421 ? "close" : "keep-alive").end(body);
    }

    static RequestFacts facts(HttpServerRequest request) {
        String authorization = request.getHeader("Authorization");
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
        Cookie session = request.getCookie(PopFleetAuthMechanism.COOKIE);
        return new RequestFacts(request.method().name(), request.path() == null ? "" : request.path(),
                request.scheme(), request.host(), request.localAddress() == null ? -1
                        : request.localAddress().port(),
                request.getHeader("Origin"), request.getHeader("Sec-Fetch-Site"),
                RequestFacts.mediaType(request.getHeader("Content-Type")), bearer && session == null,
                request.getHeader(CsrfTokens.HEADER) != null, announcesBody(request));
    }

    private static boolean announcesBody(HttpServerRequest request) {
        String length = request.getHeader("Content-Length");
        return request.getHeader("Transfer-Encoding") != null || (length != null && !length.strip().equals("0"));
    }
}
