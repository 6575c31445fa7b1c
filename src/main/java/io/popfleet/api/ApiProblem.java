package io.popfleet.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body. {@code type} is stable per kind of error (see docs/api.md), so clients match
 * on it, never on {@code detail}.
 *
 * @param errors field or line level reasons, when there are several
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiProblem(String type, String title, int status, String detail, String instance,
        List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:popfleet:problem:";

    public static ApiProblem of(String code, String title, int status, String detail, List<FieldError> errors) {
        return new ApiProblem(TYPE_PREFIX + code, title, status, detail, null, errors == null || errors.isEmpty()
                ? null : errors);
    }

    /**
     * One reason: {@code field} names an input field, or {@code line}/{@code column} a place in an uploaded file.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, Integer line, Integer column, String message) {
    }
}
