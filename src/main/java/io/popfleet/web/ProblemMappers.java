package io.popfleet.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.OptimisticLockException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.core.multipart.MultipartParser;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.InputBoundary;
import io.popfleet.api.NulRefusingJson;
import io.popfleet.api.ProblemException;
import io.popfleet.inventory.importing.InventoryRejectedException;
import io.popfleet.security.AuditLog;
import io.popfleet.security.Caller;

/**
 * Turns every error into problem details. No response ever carries a Java class name or a stack trace: an
 * unexpected failure is logged with an id and the client gets that id.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @Inject
    AuditLog audit;

    @Inject
    Caller caller;

    @ServerExceptionMapper
    public Response problem(ProblemException e, UriInfo uri, HttpServerRequest request) {
        if (!e.audited()) {
            refused(e.toProblem(), request);
        }
        return respond(e.toProblem(), uri);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e, UriInfo uri, HttpServerRequest request) {
        List<ApiProblem.FieldError> errors = e.getConstraintViolations().stream()
                .map(v -> new ApiProblem.FieldError(leaf(v.getPropertyPath().toString()), null, null, v.getMessage()))
                .sorted(java.util.Comparator.comparing(ApiProblem.FieldError::field))
                .toList();
        return respond(refused(ApiProblem.of("validation-failed", "Invalid input", 400,
                errors.size() + " field(s) are invalid", errors), request), uri);
    }

    @ServerExceptionMapper
    public Response rejectedInventory(InventoryRejectedException e, UriInfo uri) {
        List<ApiProblem.FieldError> errors = e.problems().stream()
                .map(p -> new ApiProblem.FieldError(null, p.line() > 0 ? p.line() : null,
                        p.column() > 0 ? p.column() : null, p.message()))
                .toList();
        return respond(ApiProblem.of("inventory-rejected", "Inventory refused", 422,
                "the inventory was refused and nothing was changed: " + errors.size() + " problem(s)", errors), uri);
    }

    @ServerExceptionMapper
    public Response staleVersion(OptimisticLockException e, UriInfo uri) {
        return respond(ApiProblem.of("stale-version", "Conflict", 409,
                "someone else changed this in the meantime; reload and try again", null), uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri, HttpServerRequest request) {
        if (e instanceof NulRefusingJson.NulInJson) {
            return respond(refused(ApiProblem.of(InputBoundary.PROBLEM_CODE, "Bad request", 400,
                    "a string in the request body contains a NUL character (U+0000)", null), request), uri);
        }
        String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
                + ", column " + e.getLocation().getColumnNr();
        return respond(refused(ApiProblem.of("malformed-json", "Bad request", 400,
                "the request body is not valid JSON for this endpoint" + where, null), request), uri);
    }

    /** A multipart body that breaks the format (a line break inside a part's header, such as a file name). */
    @ServerExceptionMapper
    public Response malformedMultipart(MultipartParser.MalformedMessageException e, UriInfo uri,
            HttpServerRequest request) {
        return respond(refused(ApiProblem.of("malformed-body", "Bad request", 400,
                "the request body is not valid multipart form data", null), request), uri);
    }

    /** Jackson's own mapper for this would answer plain JSON naming our DTO classes: problem details instead. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri, HttpServerRequest request) {
        return unreadableJson(e, uri, request);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e, UriInfo uri, HttpServerRequest request) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return unreadableJson(json, uri, request);
        }
        if (status == 404 && e.getCause() != null && !(e.getCause() instanceof WebApplicationException)) {
            // RESTEasy answers a path or query parameter it cannot convert (page=abc) with 404, as JAX-RS asks;
            // the resource exists, the request is wrong.
            return respond(refused(ApiProblem.of("invalid-parameter", "Bad request", 400,
                    "a path or query parameter has the wrong type (a number was expected)", null), request), uri);
        }
        String code = switch (status) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "too-large";
            case 415 -> "unsupported-media-type";
            default -> status >= 500 ? "internal" : "bad-request";
        };
        String title = Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase();
        if (status >= 500 && e.getCause() instanceof java.io.IOException) {
            // The body could not be read as what it claims to be (a multipart part with a broken header): the
            // client's mistake, not ours.
            return respond(refused(ApiProblem.of("malformed-body", "Bad request", 400,
                    "the request body could not be read as " + request.getHeader("Content-Type"), null), request), uri);
        }
        if (status >= 500) {
            LOG.errorf(e, "request failed with %d", status);
        }
        String detail = status >= 500 ? "the controller failed to handle this request" : e.getMessage();
        ApiProblem problem = ApiProblem.of(code, title, status, detail, null);
        return respond(status >= 500 ? problem : refused(problem, request), uri);
    }

    @ServerExceptionMapper(priority = jakarta.ws.rs.Priorities.USER + 1000)
    public Response unexpected(Throwable e, UriInfo uri) {
        String id = UUID.randomUUID().toString();
        LOG.errorf(e, "unexpected error %s", id);
        return respond(ApiProblem.of("internal", "Internal error", 500,
                "the controller failed to handle this request; the log has the details under id " + id, null), uri);
    }

    /**
     * Audits a refused request that tried to change something (any method but GET and HEAD): who, from where,
     * what and why. Recording never turns the refusal into a failure of its own.
     */
    private ApiProblem refused(ApiProblem problem, HttpServerRequest request) {
        if (request == null || request.method() == HttpMethod.GET || request.method() == HttpMethod.HEAD) {
            return problem;
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("method", request.method().name());
        details.put("path", request.path());
        details.put("status", problem.status());
        details.put("code", problem.type().substring(problem.type().lastIndexOf(':') + 1));
        details.put("detail", problem.detail());
        String actor = caller.name();
        String source = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        String target = request.method().name() + " " + request.path();
        Runnable write = () -> {
            try {
                audit.recordRefusal(actor, source, "request.refused", target, details);
            } catch (RuntimeException e) {
                LOG.warnf("could not audit a refused %s: %s", target, e.getMessage());
            }
        };
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            // Refused before any resource ran (at the input boundary), on an I/O thread: no transaction here.
            io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool().execute(write);
        } else {
            write.run();
        }
        return problem;
    }

    /** Pages get an HTML page that says what went wrong; everything else gets problem details. */
    private static Response respond(ApiProblem problem, UriInfo uri) {
        String path = uri == null ? "api/" : uri.getPath().replaceFirst("^/", "");
        if (!path.startsWith("api/") && !path.startsWith("q/")) {
            return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.error("", problem)).build();
        }
        return Response.status(problem.status()).type(ApiProblem.MEDIA_TYPE).entity(problem).build();
    }

    @CheckedTemplate(basePath = "")
    static class Templates {
        static native TemplateInstance error(String nav, ApiProblem problem);
    }

    private static String leaf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
