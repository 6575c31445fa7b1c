package io.popfleet.api;

import java.util.List;

/** An error with a stable problem code, for a client to see as a problem details response. */
public class ProblemException extends RuntimeException {

    private final String code;
    private final String title;
    private final int status;
    private final transient List<ApiProblem.FieldError> errors;
    private boolean audited;

    public ProblemException(String code, String title, int status, String detail, List<ApiProblem.FieldError> errors) {
        super(detail);
        this.code = code;
        this.title = title;
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ApiProblem toProblem() {
        return ApiProblem.of(code, title, status, getMessage(), errors);
    }

    /** Says that whoever threw this has audited the refusal already, so the error mapper does not again. */
    public void markAudited() {
        audited = true;
    }

    public boolean audited() {
        return audited;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public List<ApiProblem.FieldError> errors() {
        return errors;
    }
}
