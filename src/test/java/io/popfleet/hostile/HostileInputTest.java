package io.popfleet.hostile;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.MultivaluedMap;

import org.jboss.resteasy.reactive.multipart.FileUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;

import io.popfleet.hostile.HostileCorpus.Hostile;
import io.popfleet.security.RoleHierarchy;
import io.popfleet.security.Roles;
import io.popfleet.testing.Endpoints;
import io.popfleet.testing.Endpoints.Endpoint;
import io.popfleet.testing.Inventory;
import io.popfleet.testing.PageSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throws the hostile corpus at every parameter of every endpoint and page: path, query, form fields, file uploads
 * (content and name), JSON body fields and raw bodies. Whatever comes back must be a clean answer: never a 500,
 * never a stack trace or a Java class name, problem details on the API, nothing stored when refused, and no
 * markup reflected raw into a page.
 */
@QuarkusTest
// One place that says who calls: every endpoint needs a caller once users and roles exist, and admin may call all.
@TestSecurity(user = "corpus", roles = Roles.ADMIN, augmentors = RoleHierarchy.class)
class HostileInputTest {

    /**
     * Each parameter gets this many strings of every class (the corpus has 5–16 per class); the sample rotates
     * from one parameter to the next, so the whole corpus is used across the endpoints and the run stays short.
     */
    private static final int PER_KIND = 1;
    private static final String BENIGN_YAML = "version: 1\nnodes:\n  - name: corpus-a\n    host: 127.0.0.9\n";
    /** Form fields the run pages read from a whole-form map rather than from declared parameters. */
    private static final List<String> RUN_FORM_FIELDS = List.of("operation", "arg", "opt.force", "groups", "tags",
            "q", "nodes", "includeDisabled", "confirm", "confirmedCount");
    private static final Pattern LEAK = Pattern.compile("(?m)^\\s+at [a-zA-Z]|\\b(java|javax|jakarta|org\\.hibernate"
            + "|org\\.postgresql|io\\.quarkus|io\\.vertx|org\\.jboss|io\\.popfleet|com\\.fasterxml)\\.[a-z]+\\."
            + "|[A-Z][A-Za-z]+Exception\\b");
    /** Statuses Vert.x answers itself, bare, before a request reaches the application. */
    private static final java.util.Set<Integer> HTTP_LAYER = java.util.Set.of(413, 414, 431);
    private static final String[] TABLES = { "node", "node_group", "node_group_member", "node_tag", "ssh_credential",
            "host_key_pin", "run", "run_target" };

    @TestHTTPResource("/")
    URI base;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    /** One place a hostile value can go in one endpoint's request. */
    record Slot(Endpoint endpoint, String name, java.util.function.Function<Hostile, Call> call) {
        @Override
        public String toString() {
            return endpoint + " [" + name + "]";
        }
    }

    /** One request, as bytes on the wire. */
    record Call(String method, String pathAndQuery, String contentType, byte[] body) {
    }

    @BeforeEach
    @AfterEach
    void emptyFleet() {
        Inventory.clearWithRuns();
    }

    @Test
    void everyParameterOfEveryEndpointAnswersHostileInputWithoutFailingOrStoringOrReflecting() throws Exception {
        Map<String, List<Hostile>> kinds = HostileCorpus.byKind();
        assertThat(HostileCorpus.all()).hasSizeGreaterThanOrEqualTo(100);
        List<String> failures = new ArrayList<>();
        // Writes carry what a page hands out (the CSRF cookie and token), so the hostile value reaches the
        // resource instead of stopping at the cross-site check.
        page = PageSession.open("/fleet");
        stored = counts();
        int seed = 0;
        int requests = 0;
        for (Endpoint endpoint : Endpoints.all()) {
            List<Slot> slots = slots(endpoint);
            for (Slot slot : slots) {
                for (Hostile hostile : HostileCorpus.sample(kinds, seed++, PER_KIND)) {
                    requests++;
                    String failure = check(slot, hostile);
                    if (failure != null) {
                        failures.add(slot + " " + hostile.preview() + ": " + failure);
                    }
                }
            }
        }
        assertThat(requests).as("requests sent").isGreaterThan(700);
        assertThat(failures).as("hostile inputs that were not answered cleanly").isEmpty();
    }

    private PageSession page;

    /** The inventory's row counts as of the last request; a refused request must leave them as they are. */
    private long[] stored;

    private String check(Slot slot, Hostile hostile) throws IOException, InterruptedException {
        long[] before = stored;
        Call call = slot.call().apply(hostile);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "")
                + call.pathAndQuery())).timeout(Duration.ofSeconds(30))
                .method(call.method(), call.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(call.body()));
        if (call.contentType() != null) {
            request.header("Content-Type", call.contentType());
        }
        if (!call.method().equals("GET")) {
            request.header("Cookie", PageSession.COOKIE + "=" + page.cookie()).header(PageSession.HEADER, page.token());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException closedBeforeAnswer) {
            // A kept-alive connection the server closed between two requests fails the next one before a byte is
            // sent back; once more on a fresh connection. A server that drops this input itself fails again.
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
        int status = response.statusCode();
        stored = counts();
        String body = response.body();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (status >= 500) {
            return "status " + status + " " + abbreviate(body);
        }
        String withoutInput = body.replace(hostile.text(), "");
        if (LEAK.matcher(withoutInput).find()) {
            return "a Java name or stack trace in the response: " + abbreviate(body);
        }
        if (HTTP_LAYER.contains(status) && body.isEmpty()) {
            return null; // refused by the HTTP server before any resource (URI or headers too long): no body to check
        }
        if (slot.endpoint().isApi() && status >= 400) {
            if (!type.startsWith("application/problem+json")) {
                return "status " + status + " without problem details (" + type + ")";
            }
            JsonNode problem = json.readTree(body);
            if (!problem.path("type").asText().startsWith("urn:popfleet:problem:")
                    || problem.path("status").asInt() != status) {
                return "malformed problem details " + abbreviate(body);
            }
        }
        if (type.startsWith("text/html") && hostile.text().contains("<") && body.contains(hostile.text())) {
            return "markup reflected raw into the page";
        }
        if (status >= 400 && !java.util.Arrays.equals(before, stored)) {
            return "refused with " + status + " but the inventory changed";
        }
        return null;
    }

    private static String abbreviate(String body) {
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    private static long[] counts() {
        String sql = "select " + java.util.Arrays.stream(TABLES).map(t -> "(select count(*) from " + t + ")")
                .collect(java.util.stream.Collectors.joining(", "));
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> {
            Object[] row = (Object[]) io.popfleet.inventory.Node.getEntityManager().createNativeQuery(sql)
                    .getSingleResult();
            return java.util.Arrays.stream(row).mapToLong(v -> ((Number) v).longValue()).toArray();
        });
    }

    // ---- where hostile values go, per endpoint ----

    private List<Slot> slots(Endpoint e) {
        List<Slot> slots = new ArrayList<>();
        boolean multipart = e.consumes().contains("multipart/form-data");
        List<String> formNames = new ArrayList<>();
        List<String> queryNames = new ArrayList<>();
        List<String> pathNames = new ArrayList<>();
        for (Endpoints.Param p : e.params()) {
            switch (p.in()) {
                case PATH -> pathNames.add(p.name());
                case QUERY -> queryNames.add(p.name());
                case FORM -> formNames.add(p.type() == FileUpload.class ? "file:" + p.name() : p.name());
            }
        }
        boolean wholeForm = e.bodyParam() != null && MultivaluedMap.class.isAssignableFrom(e.bodyParam());
        if (wholeForm) {
            formNames.addAll(RUN_FORM_FIELDS);
        }
        if (e.method().equals("GET") && e.path().equals("/runs/new")) {
            queryNames.addAll(RUN_FORM_FIELDS); // the form reads the whole query map
        }
        for (String path : pathNames) {
            slots.add(new Slot(e, "path " + path, h -> request(e, path, h, null, null, null)));
        }
        for (String query : queryNames) {
            slots.add(new Slot(e, "query " + query, h -> request(e, null, null, query, h, null)));
        }
        for (String form : formNames) {
            if (form.startsWith("file:")) {
                String field = form.substring(5);
                slots.add(new Slot(e, "file content " + field, h -> multipart(e, formNames, field, h, false)));
                slots.add(new Slot(e, "file name " + field, h -> multipart(e, formNames, field, h, true)));
            } else if (multipart) {
                slots.add(new Slot(e, "form " + form, h -> multipart(e, formNames, form, h, false)));
            } else {
                slots.add(new Slot(e, "form " + form, h -> urlEncodedForm(e, formNames, form, h)));
            }
        }
        if (e.bodyParam() != null && e.bodyParam().isRecord()) {
            for (String field : fieldPaths(e.bodyParam(), "")) {
                slots.add(new Slot(e, "json " + field, h -> request(e, null, null, null, null,
                        new Body("application/json", jsonBody(e.bodyParam(), "", field, h)))));
            }
        } else if (e.bodyParam() == byte[].class) {
            slots.add(new Slot(e, "body", h -> request(e, null, null, null, null, new Body("application/yaml",
                    h.bytes()))));
            slots.add(new Slot(e, "body yaml notes", h -> request(e, null, null, null, null,
                    new Body("application/yaml", concat(BENIGN_YAML + "    notes: ", yamlQuoted(h))))));
        } else if (e.bodyParam() == String.class) {
            slots.add(new Slot(e, "body", h -> request(e, null, null, null, null, new Body(
                    e.consumes().stream().findFirst().orElse("text/plain"), h.bytes()))));
        }
        return slots;
    }

    record Body(String type, byte[] bytes) {
    }

    private static Call request(Endpoint e, String hostilePath, Hostile pathValue, String hostileQuery,
            Hostile queryValue, Body body) {
        StringBuilder path = new StringBuilder();
        java.util.regex.Matcher m = Pattern.compile("\\{([^}/]+)}").matcher(e.path());
        int last = 0;
        while (m.find()) {
            path.append(e.path(), last, m.start());
            path.append(m.group(1).equals(hostilePath) ? percent(pathValue.bytes()) : benignPath(e, m.group(1)));
            last = m.end();
        }
        path.append(e.path().substring(last));
        List<String> query = new ArrayList<>();
        for (Endpoints.Param p : e.params()) {
            if (p.in() == Endpoints.In.QUERY && !p.name().equals(hostileQuery) && benignQuery(p.name()) != null) {
                query.add(p.name() + "=" + benignQuery(p.name()));
            }
        }
        if (hostileQuery != null) {
            query.add(percent(hostileQuery.getBytes(StandardCharsets.UTF_8)) + "=" + percent(queryValue.bytes()));
        }
        if (!query.isEmpty()) {
            path.append('?').append(String.join("&", query));
        }
        Body sent = body;
        if (sent == null && !e.isRead() && e.bodyParam() != null && e.bodyParam().isRecord()) {
            sent = new Body("application/json", jsonBody(e.bodyParam(), "", null, null));
        } else if (sent == null && e.bodyParam() == byte[].class) {
            sent = new Body("application/yaml", BENIGN_YAML.getBytes(StandardCharsets.UTF_8));
        } else if (sent == null && !e.isRead()) {
            sent = new Body(e.consumes().stream().findFirst().orElse("application/json"), new byte[0]);
        }
        return new Call(e.method(), path.toString(), sent == null ? null : sent.type(),
                sent == null ? null : sent.bytes());
    }

    private static String benignPath(Endpoint e, String name) {
        return e.params().stream().filter(p -> p.name().equals(name)).map(Endpoints.Param::type)
                .anyMatch(t -> t == String.class) ? "corpus" : "1";
    }

    private static String benignQuery(String name) {
        return switch (name) {
            case "page" -> "0";
            case "size", "limit" -> "10";
            case "format" -> "yaml";
            default -> null;
        };
    }

    private static String benignForm(String name) {
        return switch (name) {
            case "content" -> BENIGN_YAML;
            case "format" -> "yaml";
            case "operation" -> "status";
            default -> "";
        };
    }

    private static Call urlEncodedForm(Endpoint e, List<String> names, String hostile, Hostile value) {
        List<String> pairs = new ArrayList<>();
        for (String name : names) {
            byte[] v = name.equals(hostile) ? value.bytes() : benignForm(name).getBytes(StandardCharsets.UTF_8);
            pairs.add(percent(name.getBytes(StandardCharsets.UTF_8)) + "=" + percent(v));
        }
        Call plain = request(e, null, null, null, null, null);
        return new Call(e.method(), plain.pathAndQuery(), "application/x-www-form-urlencoded",
                String.join("&", pairs).getBytes(StandardCharsets.US_ASCII));
    }

    private static Call multipart(Endpoint e, List<String> names, String hostile, Hostile value, boolean inName) {
        String boundary = "corpus-boundary-7d1f";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String declared : names) {
            boolean file = declared.startsWith("file:");
            String name = file ? declared.substring(5) : declared;
            boolean target = name.equals(hostile);
            out.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"")
                    .getBytes(StandardCharsets.UTF_8));
            if (file) {
                // The file name goes raw between the quotes, as a careless client would send it.
                out.writeBytes("; filename=\"".getBytes(StandardCharsets.UTF_8));
                out.writeBytes(target && inName ? value.bytes() : "fleet.yaml".getBytes(StandardCharsets.UTF_8));
                out.writeBytes("\"\r\nContent-Type: application/octet-stream".getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n\r\n".getBytes(StandardCharsets.UTF_8));
            if (target && !inName) {
                out.writeBytes(value.bytes());
            } else {
                out.writeBytes((file ? BENIGN_YAML : benignForm(name)).getBytes(StandardCharsets.UTF_8));
            }
            out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Call plain = request(e, null, null, null, null, null);
        return new Call(e.method(), plain.pathAndQuery(), "multipart/form-data; boundary=" + boundary,
                out.toByteArray());
    }

    // ---- JSON bodies built from the DTO records ----

    private static List<String> fieldPaths(Class<?> record, String prefix) {
        List<String> paths = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            if (c.getType().isRecord()) {
                paths.addAll(fieldPaths(c.getType(), prefix + c.getName() + "."));
            } else {
                paths.add(prefix + c.getName());
            }
        }
        return paths;
    }

    /** The record as JSON with benign values, except {@code hostileField} which carries {@code value}. */
    private static byte[] jsonBody(Class<?> record, String prefix, String hostileField, Hostile value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('{');
        boolean first = true;
        for (RecordComponent c : record.getRecordComponents()) {
            String path = prefix + c.getName();
            byte[] v;
            if (c.getType().isRecord()) {
                v = jsonBody(c.getType(), path + ".", hostileField, value);
            } else if (path.equals(hostileField)) {
                v = hostileJson(c, value);
            } else {
                v = benignJson(c);
            }
            if (v == null) {
                continue;
            }
            if (!first) {
                out.write(',');
            }
            first = false;
            out.writeBytes(("\"" + c.getName() + "\":").getBytes(StandardCharsets.UTF_8));
            out.writeBytes(v);
        }
        out.write('}');
        return out.toByteArray();
    }

    private static byte[] benignJson(RecordComponent c) {
        Class<?> t = c.getType();
        String v;
        if (t == String.class) {
            v = switch (c.getName()) {
                case "name" -> "\"corpus-b\"";
                case "host" -> "\"127.0.0.8\"";
                case "operation" -> "\"status\"";
                case "fingerprint" -> "\"SHA256:AAAA\"";
                default -> "\"corpus\"";
            };
        } else if (List.class.isAssignableFrom(t)) {
            v = "[]";
        } else if (Map.class.isAssignableFrom(t)) {
            v = "{}";
        } else if (t == Boolean.class || t == boolean.class) {
            v = "false";
        } else {
            v = null; // numbers take their defaults
        }
        return v == null ? null : v.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] hostileJson(RecordComponent c, Hostile h) {
        Class<?> t = c.getType();
        byte[] str = jsonString(h.bytes());
        if (List.class.isAssignableFrom(t)) {
            return concat("[", str, "]");
        }
        if (Map.class.isAssignableFrom(t)) {
            // Both the key and the value of a map are client text.
            return concat("{", str, ":", str, "}");
        }
        if (t != String.class && h.kind().equals("number")) {
            return h.bytes(); // a raw JSON number token, as a client would send for a numeric field
        }
        return str;
    }

    private static byte[] jsonString(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write('"');
        for (byte b : bytes) {
            int u = b & 0xff;
            if (u == '"' || u == '\\') {
                out.write('\\');
                out.write(u);
            } else if (u < 0x20) {
                out.writeBytes(String.format("\\u%04x", u).getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write(u); // bytes of multi-byte (or invalid) UTF-8 go raw
            }
        }
        out.write('"');
        return out.toByteArray();
    }

    private static byte[] yamlQuoted(Hostile h) {
        return jsonString(h.bytes()); // a JSON string is a YAML double-quoted scalar
    }

    private static byte[] concat(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            out.writeBytes(part instanceof byte[] b ? b : part.toString().getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static String percent(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            int u = b & 0xff;
            if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || "-._~".indexOf(u) >= 0) {
                out.append((char) u);
            } else {
                out.append('%').append(String.format("%02X", u));
            }
        }
        return out.toString();
    }
}
