package io.popfleet.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import static io.restassured.RestAssured.given;

/**
 * What a browser holds after opening one of the controller's pages: the CSRF cookie and the token the page
 * embeds. Tests post forms through it as the page would, so they exercise the CSRF check instead of avoiding it.
 *
 * @param cookie the value of the {@code popfleet-csrf} cookie
 * @param token the token from the page's {@code csrf-token} meta tag
 */
public record PageSession(String cookie, String token) {

    public static final String COOKIE = "popfleet-csrf";
    public static final String FIELD = "csrf-token";
    public static final String HEADER = "X-CSRF-Token";

    private static final Pattern META = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]*)\"");
    private static final Pattern CONFIRMATION = Pattern.compile("name=\"confirmation\" value=\"([^\"]*)\"");

    /** Opens a page (a GET) and keeps what it handed out. */
    public static PageSession open(String path) {
        Response page = given().when().get(path).then().statusCode(200).extract().response();
        String cookie = page.getCookie(COOKIE);
        Matcher meta = META.matcher(page.asString());
        if (cookie == null || !meta.find() || meta.group(1).isEmpty()) {
            throw new AssertionError(path + " handed out no CSRF cookie or token");
        }
        return new PageSession(cookie, meta.group(1));
    }

    /** A form post as the page's {@code <form>} sends it: cookie, and the token as a field. */
    public RequestSpecification form() {
        return given().cookie(COOKIE, cookie).contentType(ContentType.URLENC).formParam(FIELD, token);
    }

    /** An htmx request as the page's script sends it: cookie, and the token as a header. */
    public RequestSpecification htmx() {
        return given().cookie(COOKIE, cookie).header(HEADER, token);
    }

    /** The run confirmation a new-run page or count fragment issued, or "" when it issued none. */
    public static String confirmation(String html) {
        Matcher m = CONFIRMATION.matcher(html);
        return m.find() ? m.group(1) : "";
    }
}
