package io.popfleet.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The controller's REST API over the JDK's HTTP client: JSON in and out, a bearer token on every request, TLS
 * verified against the JDK's trust store (or one CA file), and every error turned into a {@link CliException}.
 */
public final class ApiClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_PREFIX = "urn:popfleet:problem:";
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final URI base;
    private final String token;
    private final HttpClient http;

    public ApiClient(URI base, String token, Path caFile) {
        this.base = base;
        this.token = token;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile != null) {
            builder.sslContext(trusting(caFile));
        }
        this.http = builder.build();
    }

    public URI base() {
        return base;
    }

    /** Builds {@code path?k=v&...}, leaving out null values; values are URL-encoded. */
    public static String path(String path, Map<String, ?> query) {
        StringBuilder built = new StringBuilder(path);
        char separator = path.contains("?") ? '&' : '?';
        for (Map.Entry<String, ?> entry : query.entrySet()) {
            if (entry.getValue() == null) {
                continue;
            }
            List<?> values = entry.getValue() instanceof List<?> list ? list : List.of(entry.getValue());
            for (Object value : values) {
                built.append(separator).append(entry.getKey()).append('=')
                        .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
                separator = '&';
            }
        }
        return built.toString();
    }

    /** Query parameters in the order given (nulls are left out by {@link #path}). */
    public static Map<String, Object> query(Object... keysAndValues) {
        Map<String, Object> query = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            query.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return query;
    }

    public JsonNode get(String path) {
        return json(send(request(path).GET()));
    }

    public String getText(String path) {
        return text(send(request(path).GET()));
    }

    public JsonNode post(String path, Object body) {
        return json(send(request(path).header("Content-Type", "application/json").POST(jsonBody(body))));
    }

    public JsonNode put(String path, Object body) {
        return json(send(request(path).header("Content-Type", "application/json").PUT(jsonBody(body))));
    }

    public JsonNode postBytes(String path, String contentType, byte[] body) {
        return json(send(request(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    }

    /** Every item of a paged list ({@code {"items": [...], "total": N}}), 500 a page. */
    public List<JsonNode> all(String path, Map<String, ?> query) {
        List<JsonNode> items = new ArrayList<>();
        for (int page = 0;; page++) {
            Map<String, Object> paged = new LinkedHashMap<>(query);
            paged.put("page", page);
            paged.put("size", 500);
            JsonNode answer = get(path(path, paged));
            answer.path("items").forEach(items::add);
            if (answer.path("items").size() < 500 || items.size() >= answer.path("total").asLong()) {
                return items;
            }
        }
    }

    /** The same items as a JSON array, for {@code --output json}. */
    public static ArrayNode array(List<JsonNode> items) {
        ArrayNode array = JSON.createArrayNode();
        items.forEach(array::add);
        return array;
    }

    /**
     * Reads a Server-Sent Events stream, handing each event's data to {@code onData} as it arrives; returns when
     * the controller ends the stream.
     */
    public void events(String path, Consumer<JsonNode> onData) {
        HttpRequest request = HttpRequest.newBuilder(resolve(path)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> response = exchange(request, HttpResponse.BodyHandlers.ofLines());
        if (response.statusCode() >= 300) {
            String body = String.join("\n", (Iterable<String>) response.body()::iterator);
            throw problem(response.statusCode(), body);
        }
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                if (line.startsWith("data:")) {
                    onData.accept(parse(line.substring(5).strip()));
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw unreachable(e.getCause());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(resolve(path)).timeout(REQUEST_TIMEOUT)
                .header("Authorization", "Bearer " + token).header("Accept", "application/json, */*");
    }

    private URI resolve(String path) {
        String root = base.toString().replaceAll("/+$", "");
        return URI.create(root + path);
    }

    private static HttpRequest.BodyPublisher jsonBody(Object body) {
        try {
            return HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body == null ? Map.of() : body));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write the request: " + e.getMessage());
        }
    }

    private HttpResponse<byte[]> send(HttpRequest.Builder request) {
        HttpResponse<byte[]> response = exchange(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw problem(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return response;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    private CliException unreachable(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        String why;
        if (e instanceof SSLException || cause instanceof SSLException) {
            why = "TLS failed (is the controller's certificate trusted? --ca-file names a CA): " + cause.getMessage();
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else {
            why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        }
        return new CliException(ExitCodes.UNAVAILABLE, "cannot reach the controller at " + base + ": " + why);
    }

    /** The problem's title and detail on one line, with the first few field errors. */
    static ApiException problem(int status, String body) {
        JsonNode problem = null;
        try {
            problem = body.isBlank() ? null : JSON.readTree(body);
        } catch (IOException e) {
            problem = null;
        }
        if (problem == null || !problem.isObject()) {
            return new ApiException(status, null, "the controller answered HTTP " + status, null);
        }
        String type = problem.path("type").asText("");
        if (type.startsWith(PROBLEM_PREFIX)) {
            type = type.substring(PROBLEM_PREFIX.length());
        }
        StringBuilder line = new StringBuilder(problem.path("title").asText("HTTP " + status));
        if (problem.hasNonNull("detail")) {
            line.append(": ").append(problem.get("detail").asText());
        }
        List<String> errors = new ArrayList<>();
        for (JsonNode error : problem.path("errors")) {
            String where = error.hasNonNull("field") ? error.get("field").asText()
                    : error.hasNonNull("line") ? "line " + error.get("line").asText() : null;
            errors.add((where == null ? "" : where + ": ") + error.path("message").asText());
        }
        if (!errors.isEmpty()) {
            line.append(" (").append(String.join("; ", errors.subList(0, Math.min(3, errors.size()))));
            line.append(errors.size() > 3 ? "; and " + (errors.size() - 3) + " more)" : ")");
        }
        return new ApiException(status, type.isEmpty() ? null : type, oneLine(line.toString()), problem);
    }

    static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ").strip();
    }

    private static JsonNode json(HttpResponse<byte[]> response) {
        if (response.body().length == 0) {
            return JSON.nullNode();
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "the controller's answer is not JSON: " + e.getMessage());
        }
    }

    private static JsonNode parse(String data) {
        try {
            return JSON.readTree(data);
        } catch (IOException e) {
            throw new CliException(ExitCodes.UNAVAILABLE, "an event from the controller is not JSON: "
                    + e.getMessage());
        }
    }

    private static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** A private CA is trusted alone, not added to the JDK's list: the controller must chain to exactly it. */
    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, certificate);
            }
            if (i == 0) {
                throw new CliException(ExitCodes.USAGE, "no certificate in the CA file " + caFile);
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the CA file " + caFile + ": " + e.getMessage());
        }
    }
}
