package io.popfleet.runs;

/** A state change the table does not allow; names both ends so the log says what was attempted. */
public class IllegalTransitionException extends IllegalStateException {
    public IllegalTransitionException(String what, Object from, Object to) {
        super(what + " cannot move from " + from + " to " + to);
    }
}
