package io.popfleet.ops;

import java.util.List;

/**
 * One node-tool command as the fleet runs it: its name, whether it changes the node, its arguments, and the option
 * that bounds how long it waits on the node. Whether it changes the node and how long it may wait are the node
 * tool's answers ({@code pop list-commands --json}); a contract test checks this catalog against them.
 *
 * @param positional rules for the positional arguments, in order (the last one may repeat when {@code repeats})
 * @param options the {@code --name [value]} options it takes
 * @param waits the option bounding its wait on the node, or null when it has none
 */
public record Operation(String command, String summary, Mutates mutates, List<Positional> positional,
        boolean repeats, List<Option> options, Wait waits) {

    /** Whether a command changes the node: always, never, or depending on its arguments (the catalog decides). */
    public enum Mutates {
        ALWAYS, NEVER, BY_ARGUMENTS;

        /** The word {@code pop list-commands --json} uses. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Whether some call of this command changes nodes (the run form marks it, and asks before running it). */
    public boolean mutating() {
        return mutates != Mutates.NEVER;
    }

    /** A positional argument: its name for the form and API, its rule, and whether it must be given. */
    public record Positional(String name, ArgumentRule rule, boolean required) {
    }

    /** {@code --name} alone (a flag, {@code rule == null}) or {@code --name VALUE}. */
    public record Option(String name, ArgumentRule rule) {
        public boolean isFlag() {
            return rule == null;
        }
    }

    /**
     * The option that bounds how long the command waits on the node ({@code start --wait N}), its value when not
     * given, and how many such waits one run may make ({@code update} waits for health, then once more for the
     * rolled-back binary).
     */
    public record Wait(String option, int defaultSeconds, int times) {

        /** The longest the command may wait on the node with these arguments, in seconds. */
        public long seconds(List<String> arguments) {
            int at = arguments.indexOf("--" + option);
            long value = defaultSeconds;
            if (at >= 0 && at + 1 < arguments.size() && arguments.get(at + 1).matches("[0-9]{1,9}")) {
                value = Long.parseLong(arguments.get(at + 1));
            }
            return value * times;
        }
    }
}
