package io.popfleet.bench;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.popfleet.testing.PageSession;

/**
 * Gets an API token from a controller the benchmark started with {@code POPFLEET_ADMIN_PASSWORD}: logs in through
 * the login form as a browser would, then creates a token with that session, as the README tells an operator to.
 */
final class BenchLogin {

    static final String USER = "admin";

    private BenchLogin() {
    }

    static String token(HttpClient http, String base, String password) throws IOException, InterruptedException {
        // the login form carries a CSRF token (a cookie and the page's meta tag), as a browser's would
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        String csrfCookie = page.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(PageSession.COOKIE + "=")).map(c -> c.substring(0, c.indexOf(';')))
                .findFirst().orElseThrow(() -> new IllegalStateException("the login page set no CSRF cookie"));
        Matcher meta = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\"").matcher(page.body());
        if (!meta.find()) {
            throw new IllegalStateException("the login page carries no CSRF token");
        }
        String form = "username=" + USER + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8) + "&"
                + PageSession.FIELD + "=" + URLEncoder.encode(meta.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Origin", base)
                .header("Cookie", csrfCookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        String cookie = login.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("popfleet_session="))
                .map(c -> c.substring(0, c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("login failed: " + login.statusCode() + " " + login.body()));
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/tokens"))
                .header("Content-Type", "application/json").header("Cookie", cookie + "; " + csrfCookie)
                .header("Origin", base).header(PageSession.HEADER, meta.group(1))
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"benchmark\",\"expiresInDays\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("token not created: " + created.statusCode() + " " + created.body());
        }
        return new ObjectMapper().readTree(created.body()).get("token").asText();
    }
}
