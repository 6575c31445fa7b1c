package io.popfleet.api;

import java.util.List;

/** The request clashes with what is stored: a duplicate name, a stale version. */
public class ConflictProblem extends ProblemException {
    public ConflictProblem(String code, String detail) {
        super(code, "Conflict", 409, detail, null);
    }

    public ConflictProblem(String code, String detail, List<ApiProblem.FieldError> errors) {
        super(code, "Conflict", 409, detail, errors);
    }
}
