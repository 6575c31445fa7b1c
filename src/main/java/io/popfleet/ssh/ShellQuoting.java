package io.popfleet.ssh;

import java.util.List;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The one place where a value becomes text for a remote shell. Every argument is validated and then single-quoted
 * ({@code '} becomes {@code '\''}): inside single quotes a POSIX shell expands nothing, so {@code $()}, backticks,
 * {@code ;}, globs and newlines arrive as literal bytes. What cannot be carried faithfully is refused instead.
 */
public final class ShellQuoting {

    /** Far below Linux's per-argument limit (128 KiB) and plenty for node-tool arguments. */
    public static final int MAX_ARGUMENT_CHARS = 4096;

    private ShellQuoting() {
    }

    public static String quote(String argument) {
        validate(argument);
        return "'" + argument.replace("'", "'\\''") + "'";
    }

    /** {@code program} is a fixed, trusted word chosen by the controller; each argument is quoted. */
    public static String command(String program, List<String> arguments) {
        StringJoiner line = new StringJoiner(" ");
        line.add(program);
        for (String argument : arguments) {
            line.add(quote(argument));
        }
        return line.toString();
    }

    static void validate(String argument) {
        Optional<String> problem = problem(argument);
        if (problem.isPresent()) {
            throw new UnsafeArgumentException(problem.get());
        }
    }

    /**
     * Why {@code argument} cannot be carried to a remote shell as it is, or nothing. The operation catalog asks this
     * of every value before a run starts, so a value refused here is refused there, with the same words, and never
     * reaches the executor.
     */
    public static Optional<String> problem(String argument) {
        if (argument == null) {
            return Optional.of("argument is null");
        }
        if (argument.length() > MAX_ARGUMENT_CHARS) {
            return Optional.of("argument longer than " + MAX_ARGUMENT_CHARS + " characters");
        }
        for (int i = 0; i < argument.length(); i++) {
            char c = argument.charAt(i);
            if (c == '\0') {
                // C strings end at NUL: the remote side would silently get a shorter argument
                return Optional.of("argument contains NUL at index " + i);
            }
            if (Character.isHighSurrogate(c) && i + 1 < argument.length()
                    && Character.isLowSurrogate(argument.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                // a lone surrogate has no UTF-8 form: it would arrive as '?' bytes, not as sent
                return Optional.of("argument is not valid Unicode at index " + i);
            }
        }
        return Optional.empty();
    }
}
