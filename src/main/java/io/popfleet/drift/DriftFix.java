package io.popfleet.drift;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node-tool command that mends a drift, in the form the run form takes: an operation from the catalog, its
 * positional arguments and its options. {@code arguments} is empty where the operator must supply the value.
 *
 * @param options option name to value, in order; an empty value is a flag
 * @param note what to do besides, when the command alone cannot mend it (another program on a port)
 */
public record DriftFix(String operation, List<String> arguments, Map<String, String> options, String note) {

    public DriftFix {
        arguments = List.copyOf(arguments);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    static DriftFix of(String operation, String... flags) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String flag : flags) {
            options.put(flag, "");
        }
        return new DriftFix(operation, List.of(), options, null);
    }

    /** Whether the command can run as it stands (false: the operator must supply a value first). */
    public boolean complete() {
        return !(arguments.isEmpty() && operation.equals("set-wallet"));
    }

    /** The command line an operator on the node would type. */
    public String command() {
        List<String> words = new ArrayList<>(List.of("pop", operation));
        words.addAll(complete() ? arguments : List.of("ADDRESS"));
        options.forEach((name, value) -> {
            words.add("--" + name);
            if (!value.isEmpty()) {
                words.add(value);
            }
        });
        return String.join(" ", words);
    }
}
