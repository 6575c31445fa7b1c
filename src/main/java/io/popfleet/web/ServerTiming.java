package io.popfleet.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Adds a {@code Server-Timing} header ({@code app;dur=12.3}, milliseconds) to every response, so an operator's
 * browser tools and our benchmarks see the controller's own time apart from the network's.
 */
public class ServerTiming {

    private static final String STARTED = "popfleet.started";

    @ServerRequestFilter(preMatching = true)
    public void start(ContainerRequestContext request) {
        request.setProperty(STARTED, System.nanoTime());
    }

    @ServerResponseFilter
    public void stop(ContainerRequestContext request, ContainerResponseContext response) {
        if (request.getProperty(STARTED) instanceof Long started) {
            double millis = (System.nanoTime() - started) / 1_000_000.0;
            response.getHeaders().add("Server-Timing", String.format(java.util.Locale.ROOT, "app;dur=%.1f", millis));
        }
    }
}
