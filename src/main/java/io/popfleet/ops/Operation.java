package io.popfleet.ops;

import java.util.List;

/**
 * One node-tool command as the fleet runs it: its name, whether it changes the node, and its arguments.
 *
 * @param positional rules for the positional arguments, in order (the last one may repeat when {@code repeats})
 * @param options the {@code --name [value]} options it takes
 */
public record Operation(String command, String summary, boolean mutating, List<Positional> positional,
        boolean repeats, List<Option> options) {

    /** A positional argument: its name for the form and API, its rule, and whether it must be given. */
    public record Positional(String name, ArgumentRule rule, boolean required) {
    }

    /** {@code --name} alone (a flag, {@code rule == null}) or {@code --name VALUE}. */
    public record Option(String name, ArgumentRule rule) {
        public boolean isFlag() {
            return rule == null;
        }
    }
}
