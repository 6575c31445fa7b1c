package io.popfleet.api;

/** The thing asked for does not exist. */
public class NotFoundProblem extends ProblemException {
    public NotFoundProblem(String what, Object id) {
        this(what + "-not-found", what + " " + id + " does not exist");
    }

    private NotFoundProblem(String code, String detail) {
        super(code, "Not found", 404, detail, null);
    }

    /** For a lookup that is not by id (a fingerprint offered by a node, a name): its own code and message. */
    public static NotFoundProblem coded(String code, String detail) {
        return new NotFoundProblem(code, detail);
    }
}
