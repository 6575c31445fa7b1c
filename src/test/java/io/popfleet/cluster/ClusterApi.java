package io.popfleet.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The controllers' HTTP API as a script or a browser uses it: a login, an API token, JSON, and Server-Sent Events. */
final class ClusterApi {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CSRF_META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\"");

    private ClusterApi() {
    }

    /**
     * Logs in through the console's form, as a browser does behind a proxy that spreads requests: the form comes
     * from {@code pageFrom}, its post goes to {@code controller}.
     *
     * @return the session cookie ({@code name=value})
     */
    static String login(ControllerProcess pageFrom, ControllerProcess controller, String user, String password) {
        HttpResponse<String> page = send(HttpRequest.newBuilder(URI.create(pageFrom.baseUrl() + "/login")).GET()
                .build());
        String csrfCookie = cookie(page, "popfleet-csrf");
        Matcher meta = CSRF_META.matcher(page.body());
        if (!meta.find()) {
            throw new AssertionError("the login page of " + controller.name() + " carries no CSRF token");
        }
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&next=%2F&csrf-token="
                + URLEncoder.encode(meta.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(controller.baseUrl() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", csrfCookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        if (response.statusCode() != 303) {
            throw new AssertionError("login on " + controller.name() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return cookie(response, "popfleet_session");
    }

    /** {@code name=value} of a cookie the response sets. */
    private static String cookie(HttpResponse<String> response, String name) {
        return response.headers().allValues("set-cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new AssertionError(response.uri() + " set no " + name + " cookie"));
    }

    /** A new admin API token, made with a console session. */
    static String token(ControllerProcess controller, String sessionCookie) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(controller.baseUrl()
                + "/api/v1/tokens")).header("Content-Type", "application/json").header("Cookie", sessionCookie)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"cluster-it\",\"role\":\"admin\"}")).build());
        return expect(response, 201).get("token").asText();
    }

    static JsonNode get(ControllerProcess controller, String token, String path) {
        return expect(send(HttpRequest.newBuilder(URI.create(controller.baseUrl() + path))
                .header("Authorization", "Bearer " + token).GET().build()), 200);
    }

    static JsonNode post(ControllerProcess controller, String token, String path, String contentType, String body,
            int expected) {
        return expect(send(HttpRequest.newBuilder(URI.create(controller.baseUrl() + path))
                .header("Authorization", "Bearer " + token).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build()), expected);
    }

    static int status(ControllerProcess controller, String cookie, String path) {
        return send(HttpRequest.newBuilder(URI.create(controller.baseUrl() + path)).header("Cookie", cookie).GET()
                .build()).statusCode();
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Follows a run's Server-Sent Events until the server ends the stream (the run has ended), as the run page's
     * script does, with the session cookie a browser would send.
     *
     * @return every event's JSON, in order
     */
    static List<JsonNode> followEvents(ControllerProcess controller, String cookie, long runId, Duration atMost) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(controller.baseUrl() + "/api/v1/runs/" + runId
                + "/events")).header("Accept", "text/event-stream").header("Cookie", cookie).timeout(atMost).GET()
                .build();
        List<JsonNode> events = new ArrayList<>();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                throw new AssertionError("events on " + controller.name() + " answered " + response.statusCode());
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(),
                    StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.startsWith("data:")) {
                        events.add(JSON.readTree(line.substring("data:".length()).strip()));
                    }
                }
            }
            return events;
        } catch (IOException e) {
            throw new UncheckedIOException("the event stream of run " + runId + " on " + controller.name()
                    + " broke after " + events.size() + " events", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode expect(HttpResponse<String> response, int expected) {
        if (response.statusCode() != expected) {
            throw new AssertionError(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ", expected " + expected + ": " + response.body());
        }
        try {
            return response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + response.body(), e);
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> runRequest(String operation, int confirmNodes) {
        return Map.of("operation", operation, "arguments", List.of(), "options", Map.of(), "selection", Map.of(),
                "confirmNodes", confirmNodes);
    }
}
