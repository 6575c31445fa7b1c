package io.popfleet.drift;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What mends a drift. Mostly a node-tool command in the form the run form takes: an operation from the catalog, its
 * positional arguments and its options ({@code arguments} is empty where the operator must supply the value). A
 * binary behind the target is the exception: it is mended by a rollout ({@link #ROLLOUT}, the version in
 * {@code options}), because a binary reaches a node from the controller's release registry, canary and health
 * gates included; a bare {@code pop update} run has no binary to install.
 *
 * @param options option name to value, in order; an empty value is a flag
 * @param note what to do besides, when the command alone cannot mend it (another program on a port)
 */
public record DriftFix(String operation, List<String> arguments, Map<String, String> options, String note) {

    /** The operation name of a fix that is a rollout, not a run: {@code POST /api/v1/rollouts}. */
    public static final String ROLLOUT = "rollout";

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

    static DriftFix rolloutTo(String version) {
        return new DriftFix(ROLLOUT, List.of(), Map.of("version", version), null);
    }

    /** Whether this fix is a rollout of {@code options.version} rather than a run. */
    public boolean rollout() {
        return operation.equals(ROLLOUT);
    }

    /** Whether the command can run as it stands (false: the operator must supply a value first). */
    public boolean complete() {
        return !(arguments.isEmpty() && operation.equals("set-wallet"));
    }

    /** The command line an operator on the node would type; for a rollout, the command line tool's. */
    public String command() {
        if (rollout()) {
            return "popfleet rollout start " + options.get("version");
        }
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
