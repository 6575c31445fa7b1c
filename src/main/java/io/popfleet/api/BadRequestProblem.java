package io.popfleet.api;

/** The request itself is wrong (a parameter out of range, an unknown sort key). */
public class BadRequestProblem extends ProblemException {
    public BadRequestProblem(String code, String detail) {
        super(code, "Bad request", 400, detail, null);
    }
}
