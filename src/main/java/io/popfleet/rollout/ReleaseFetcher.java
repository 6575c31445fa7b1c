package io.popfleet.rollout;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.ProblemException;
import io.popfleet.runs.LoopbackAddresses;
import io.popfleet.runs.RunsConfig;

/**
 * Fetches a release from a URL the operator gives, for {@link ReleaseService} to hash and pin. Redirects are
 * followed by hand so that every hop meets the same checks as the first URL (scheme, no user info, and with
 * {@code popfleet.runs.loopback-only} only loopback address literals). The whole fetch has one deadline: a server that
 * stops sending mid-body is cut off too, not only one slow to answer.
 */
@ApplicationScoped
public class ReleaseFetcher {

    static final int MAX_URL_LENGTH = 2048;

    @Inject
    RolloutConfig config;

    @Inject
    RunsConfig runs;

    /** What a fetch hands the registry: the body, open, and the URL it finally came from. */
    public record Fetched(InputStream body, URI from, long declaredLength) {
    }

    /** The checked URL an operator typed: a 400 naming what is wrong, before any traffic. */
    public URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw new BadRequestProblem("invalid-release-url", "url is required: where the controller fetches the"
                    + " node binary from");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new BadRequestProblem("invalid-release-url", "url may be at most " + MAX_URL_LENGTH
                    + " characters");
        }
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new BadRequestProblem("invalid-release-url", "url is not a valid URL");
        }
        checkShape(uri);
        return uri;
    }

    /**
     * Opens the body of {@code url}, following at most the configured redirects. The caller reads and closes it;
     * reading past the deadline fails. Every refusal is a {@link ProblemException} (4xx) naming its reason.
     */
    public Fetched open(URI url) {
        Duration timeout = config.fetchTimeout();
        Instant deadline = Instant.now().plus(timeout);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout).build();
        URI current = url;
        for (int hop = 0;; hop++) {
            checkShape(current);
            checkAddresses(current);
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || left.isZero()) {
                throw failed(url, "took longer than " + timeout.toSeconds() + " s (popfleet.rollout.fetch-timeout)");
            }
            HttpResponse<InputStream> response;
            try {
                response = client.send(HttpRequest.newBuilder(current).timeout(left).GET().build(),
                        HttpResponse.BodyHandlers.ofInputStream());
            } catch (HttpTimeoutException e) {
                throw failed(url, "took longer than " + timeout.toSeconds() + " s (popfleet.rollout.fetch-timeout)");
            } catch (IOException e) {
                throw failed(url, "could not be fetched from " + current.getHost() + ": " + reason(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw failed(url, "was interrupted");
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                close(response.body());
                if (hop >= config.fetchMaxRedirects()) {
                    throw failed(url, "redirected more than " + config.fetchMaxRedirects()
                            + " times (popfleet.rollout.fetch-max-redirects)");
                }
                try {
                    current = current.resolve(new URI(response.headers().firstValue("Location").orElseThrow()));
                } catch (URISyntaxException | IllegalArgumentException e) {
                    throw failed(url, "redirected to an invalid location");
                }
                continue;
            }
            if (status != 200) {
                close(response.body());
                throw failed(url, "answered HTTP " + status + " from " + current.getHost()
                        + ", not 200 with the binary");
            }
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1L);
            if (declared > config.maxReleaseBytes()) {
                close(response.body());
                throw ReleaseService.tooLarge(config.maxReleaseBytes());
            }
            return new Fetched(deadlined(response.body(), Duration.between(Instant.now(), deadline)), current,
                    declared);
        }
    }

    private void checkShape(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean allowed = scheme.equals("https") || (scheme.equals("http") && config.fetchAllowHttp());
        if (!allowed) {
            throw new BadRequestProblem("invalid-release-url", "url must be https://"
                    + (config.fetchAllowHttp() ? " or http://" : " (http:// only with"
                            + " popfleet.rollout.fetch-allow-http)"));
        }
        if (uri.getRawUserInfo() != null) {
            throw new BadRequestProblem("invalid-release-url", "url may not carry a user name or password");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new BadRequestProblem("invalid-release-url", "url must name a host");
        }
    }

    /**
     * With loopback-only, the host must be a loopback address literal, as for the nodes ({@link LoopbackAddresses}):
     * no name is looked up, so no answer of a name server (one that says 127.0.0.1 when checked and another address
     * when connected) decides where the controller connects.
     */
    private void checkAddresses(URI uri) {
        if (!runs.loopbackOnly()) {
            return;
        }
        String host = uri.getHost().replaceAll("^\\[|]$", "");
        if (!LoopbackAddresses.isLoopbackLiteral(host)) {
            throw new ProblemException("release-url-not-allowed", "Release URL not allowed", 422, "this"
                    + " controller only contacts loopback addresses given as literals, such as 127.0.0.1"
                    + " (popfleet.runs.loopback-only): " + uri.getHost() + " is not one; nothing was fetched",
                    List.of());
        }
    }

    /** Closes the body at the deadline, so a read blocked on a server that stopped sending ends. */
    private static InputStream deadlined(InputStream body, Duration left) {
        AtomicBoolean done = new AtomicBoolean();
        CompletableFuture.delayedExecutor(Math.max(1, left.toMillis()), TimeUnit.MILLISECONDS).execute(() -> {
            if (done.compareAndSet(false, true)) {
                close(body);
            }
        });
        return new java.io.FilterInputStream(body) {
            @Override
            public void close() throws IOException {
                done.set(true);
                super.close();
            }
        };
    }

    static ProblemException failed(URI url, String why) {
        return new ProblemException("release-fetch-failed", "Release could not be fetched", 422,
                "the release URL " + why + "; nothing was stored", List.of());
    }

    private static String reason(IOException e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e instanceof java.net.ConnectException ? "connection refused" : "the connection failed";
        }
        return message;
    }

    private static void close(InputStream body) {
        try {
            body.close();
        } catch (IOException ignored) {
            // the fetch is refused anyway; a connection that will not close is the HTTP client's to drop
        }
    }
}
