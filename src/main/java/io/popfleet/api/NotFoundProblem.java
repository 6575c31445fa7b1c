package io.popfleet.api;

/** The thing asked for does not exist. */
public class NotFoundProblem extends ProblemException {
    public NotFoundProblem(String what, Object id) {
        super(what + "-not-found", "Not found", 404, what + " " + id + " does not exist", null);
    }
}
