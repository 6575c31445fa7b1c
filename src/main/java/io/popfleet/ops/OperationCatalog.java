package io.popfleet.ops;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ProblemException;
import io.popfleet.ssh.ShellQuoting;

import static io.popfleet.ops.ArgumentRule.durationOrDate;
import static io.popfleet.ops.ArgumentRule.fileName;
import static io.popfleet.ops.ArgumentRule.integer;
import static io.popfleet.ops.ArgumentRule.keyFingerprint;
import static io.popfleet.ops.ArgumentRule.nodePath;
import static io.popfleet.ops.ArgumentRule.publicKey;
import static io.popfleet.ops.ArgumentRule.referralCode;
import static io.popfleet.ops.ArgumentRule.setting;
import static io.popfleet.ops.ArgumentRule.sha256;
import static io.popfleet.ops.ArgumentRule.url;
import static io.popfleet.ops.ArgumentRule.version;
import static io.popfleet.ops.ArgumentRule.wallet;

/**
 * Every node-tool command the fleet can run, with the node tool's argument rules. Interactive commands become
 * fleet views instead: {@code dashboard} and {@code pulse} are the fleet dashboard, {@code logs --follow} a tail
 * per node; {@code help} and {@code list-commands} are this catalog.
 */
@ApplicationScoped
public class OperationCatalog {

    private static final Operation.Mutates ALWAYS = Operation.Mutates.ALWAYS;
    private static final Operation.Mutates NEVER = Operation.Mutates.NEVER;
    private static final Operation.Mutates BY_ARGUMENTS = Operation.Mutates.BY_ARGUMENTS;
    // The node tool's own bounds (pop list-commands --json): start/restart wait once for health; update waits for
    // health, then once more for the rolled-back binary; without --timeout it waits the node's POP_HEALTH_TIMEOUT.
    private static final Operation.Wait WAITS_FOR_HEALTH = new Operation.Wait("wait", 0, 1);
    private static final Operation.Wait UPDATE_WAITS = new Operation.Wait("timeout", 120, 2);

    private static final Operation.Option RESTART = new Operation.Option("restart", null);
    private static final Operation.Option WAIT = new Operation.Option("wait", integer(1, 600));
    private static final Operation.Option TIMEOUT = new Operation.Option("timeout", integer(1, 3600));
    private static final Operation.Option PASSPHRASE_FILE = new Operation.Option("passphrase-file", nodePath());

    private final Map<String, Operation> operations = new LinkedHashMap<>();

    public OperationCatalog() {
        read("status", "Service, identity, reputation, egress, disk and ports");
        read("health", "One fast health line");
        read("leaderboard", "Ranking inputs and position where a ranking source is configured");
        add(new Operation("history", "Historical performance from the node's metrics log", NEVER, List.of(), false,
                List.of(new Operation.Option("since", durationOrDate()),
                        new Operation.Option("limit", integer(1, 10_000))), null));
        read("stats", "Uptime statistics over 24 hours and 7 days");
        // It appends a sample to the tool's own history and takes no lock: repeating it is harmless.
        read("collect", "Append one metrics sample to the node's history");
        add(new Operation("start", "Start the node service", ALWAYS, List.of(), false, List.of(WAIT),
                WAITS_FOR_HEALTH));
        // --disable: systemctl disable --now, so a host whose identity moved elsewhere does not start it at boot
        add(new Operation("stop", "Stop the node service", ALWAYS, List.of(), false,
                List.of(new Operation.Option("disable", null)), null));
        add(new Operation("restart", "Restart the node service", ALWAYS, List.of(), false, List.of(WAIT),
                WAITS_FOR_HEALTH));
        read("check", "Verify the node's setup");
        add(new Operation("logs", "Recent lines of the service log", NEVER, List.of(), false,
                List.of(new Operation.Option("lines", integer(1, 5000)),
                        new Operation.Option("since", durationOrDate())), null));
        add(new Operation("backup", "Back up identity and configuration", ALWAYS, List.of(), false,
                List.of(new Operation.Option("encrypt", null), PASSPHRASE_FILE), null));
        read("list-backups", "The node's backups, newest first");
        add(new Operation("restore", "Restore identity and configuration from a backup archive", ALWAYS,
                List.of(new Operation.Positional("archive", fileName(), true)), false,
                List.of(new Operation.Option("migrate", null), new Operation.Option("force", null), PASSPHRASE_FILE),
                null));
        add(new Operation("configure", "Show or change node settings", BY_ARGUMENTS,
                List.of(new Operation.Positional("setting", setting(), false)), true, List.of(RESTART), null));
        add(new Operation("auth", "Privileges and authorized keys; add or remove a key", BY_ARGUMENTS,
                List.of(new Operation.Positional("action", ArgumentRule.pattern("status, add-key or remove-key",
                        "^(status|add-key|remove-key)$"), false),
                        new Operation.Positional("key", ArgumentRule.pattern(publicKey().hint() + ", or "
                                + keyFingerprint().hint(), "^(" + "(ssh-ed25519|ecdsa-sha2-nistp(256|384|521)|ssh-rsa)"
                                + " [A-Za-z0-9+/]{40,2000}={0,3}( [A-Za-z0-9@._-]{1,100})?|SHA256:[A-Za-z0-9+/]{43}=?)$"),
                                false)),
                false, List.of(), null));
        add(new Operation("ports", "Listeners on 8003, 80 and 443 and any conflicts", BY_ARGUMENTS, List.of(),
                false, List.of(new Operation.Option("enable-80-443", null),
                        new Operation.Option("disable-80-443", null)), null));
        add(new Operation("enable-80-443", "Serve on ports 80 and 443 as well", ALWAYS, List.of(), false,
                List.of(RESTART), null));
        read("wallet-info", "The reward wallet and whether every place agrees on it");
        add(new Operation("set-wallet", "Set the reward wallet", ALWAYS,
                List.of(new Operation.Positional("address", wallet(), true)), false, List.of(RESTART), null));
        read("version", "Tool and node binary versions");
        add(new Operation("check-update", "Compare the installed binary with the version manifest", NEVER,
                List.of(), false, List.of(new Operation.Option("manifest", ArgumentRule.pattern(
                        "a path on the node or an http(s) URL", "^(/[A-Za-z0-9._/-]{0,4095}|https?://[A-Za-z0-9.-]+"
                                + "(:[0-9]{1,5})?(/[A-Za-z0-9._~%/+=&?:@-]*)?)$"))), null));
        add(new Operation("update", "Install a node binary with automatic rollback", ALWAYS, List.of(), false,
                List.of(new Operation.Option("file", nodePath()), new Operation.Option("url", url()),
                        new Operation.Option("manifest", null), new Operation.Option("shipped", null),
                        new Operation.Option("sha256", sha256()),
                        new Operation.Option("version", version()), TIMEOUT,
                        new Operation.Option("rollback", null)), UPDATE_WAITS));
        add(new Operation("refresh", "Refresh the node's token and check for upgrades", ALWAYS, List.of(), false,
                List.of(), null));
        read("egress-test", "Egress speed test");
        read("gen-referral-route", "The node's referral code");
        read("points", "Points and referral rewards");
        add(new Operation("signup-by-referral-route", "Register with a referral code", ALWAYS,
                List.of(new Operation.Positional("code", referralCode(), true)), false, List.of(), null));
        // A node without an identity only: starts it for Pipe's first registration and waits for the identity.
        add(new Operation("register", "First registration of a new node (optionally with a referral)", ALWAYS,
                List.of(), false, List.of(new Operation.Option("referral", referralCode()), WAIT),
                new Operation.Wait("wait", 60, 1)));
    }

    public Collection<Operation> all() {
        return operations.values();
    }

    public Optional<Operation> find(String command) {
        return Optional.ofNullable(operations.get(command));
    }

    /** A call of a command without arguments (the monitor's polls), checked like any other. */
    public OperationCall call(String command) {
        return call(command, List.of(), Map.of());
    }

    /**
     * Checks again a call's arguments as {@link OperationCall#arguments()} holds them (positional values, then
     * {@code --name [value]} options), for a retry of a stored run: the catalog may have tightened a rule since.
     */
    public OperationCall again(String command, List<String> arguments) {
        Operation operation = find(command).orElse(null);
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("--")) {
                positional.add(argument);
                continue;
            }
            String name = argument.substring(2);
            boolean flag = operation == null || operation.options().stream()
                    .anyMatch(option -> option.name().equals(name) && option.isFlag());
            options.put(name, flag || i + 1 >= arguments.size() ? null : arguments.get(++i));
        }
        return call(command, positional, options);
    }

    /**
     * Checks a call against the catalog: every problem is reported at once, and nothing reaches a node unless
     * all is well.
     *
     * @param positional positional values in order
     * @param options option name to value ({@code null} or empty for a flag)
     */
    public OperationCall call(String command, List<String> positional, Map<String, String> options) {
        Operation operation = find(command).orElseThrow(() -> new ProblemException("unknown-operation",
                "Unknown operation", 400, "there is no operation '" + command + "'; see GET /api/v1/operations",
                List.of()));
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        List<String> arguments = new ArrayList<>();
        List<String> values = positional == null ? List.of() : positional;
        int allowed = operation.repeats() ? Integer.MAX_VALUE : operation.positional().size();
        if (values.size() > allowed) {
            errors.add(new ApiProblem.FieldError("arguments", null, null, command + " takes at most "
                    + operation.positional().size() + " argument(s), not " + values.size()));
        }
        for (int i = 0; i < operation.positional().size() || i < Math.min(values.size(), allowed); i++) {
            Operation.Positional spec = operation.positional().get(Math.min(i, operation.positional().size() - 1));
            String value = i < values.size() ? values.get(i) : null;
            if (value == null || value.isEmpty()) {
                if (spec.required()) {
                    errors.add(new ApiProblem.FieldError(spec.name(), null, null, spec.name() + " is required"));
                }
                continue;
            }
            check(spec.rule(), value).ifPresent(problem -> errors.add(
                    new ApiProblem.FieldError(spec.name(), null, null, spec.name() + " " + problem)));
            arguments.add(value);
        }
        Map<String, String> given = options == null ? Map.of() : options;
        for (Map.Entry<String, String> entry : given.entrySet()) {
            Optional<Operation.Option> spec = operation.options().stream()
                    .filter(option -> option.name().equals(entry.getKey())).findFirst();
            if (spec.isEmpty()) {
                errors.add(new ApiProblem.FieldError(entry.getKey(), null, null, command + " has no option --"
                        + entry.getKey()));
                continue;
            }
            String value = entry.getValue();
            if (spec.get().isFlag()) {
                if (value != null && !value.isEmpty() && !value.equals("true")) {
                    errors.add(new ApiProblem.FieldError(entry.getKey(), null, null, "--" + entry.getKey()
                            + " is a flag and takes no value"));
                }
                arguments.add("--" + entry.getKey());
            } else if (value == null || value.isEmpty()) {
                errors.add(new ApiProblem.FieldError(entry.getKey(), null, null, "--" + entry.getKey()
                        + " needs a value: " + spec.get().rule().hint()));
            } else {
                check(spec.get().rule(), value).ifPresent(problem -> errors.add(
                        new ApiProblem.FieldError(entry.getKey(), null, null, "--" + entry.getKey() + " " + problem)));
                arguments.add("--" + entry.getKey());
                arguments.add(value);
            }
        }
        if (command.equals("auth") && !values.isEmpty() && values.get(0) != null
                && values.get(0).matches("add-key|remove-key") && (values.size() < 2 || values.get(1) == null
                        || values.get(1).isBlank())) {
            // The key is optional only for "auth status": an add-key without one must not reach a node.
            errors.add(new ApiProblem.FieldError("key", null, null, "key is required for " + values.get(0)));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException("invalid-arguments", "Invalid arguments", 400, errors.size()
                    + " argument(s) of " + command + " are invalid; nothing was sent to any node", errors);
        }
        return new OperationCall(command, arguments, mutates(operation, arguments));
    }

    /**
     * Whether this call changes the node, decided as the node tool decides it ({@code pop_is_mutating}, published
     * per argument form by {@code pop list-commands --json}; OperationCatalogContractTest holds the two together).
     */
    static boolean mutates(Operation operation, List<String> arguments) {
        return switch (operation.mutates()) {
            case ALWAYS -> true;
            case NEVER -> false;
            case BY_ARGUMENTS -> switch (operation.command()) {
                case "configure" -> arguments.stream().anyMatch(argument -> argument.contains("="));
                case "ports" -> arguments.contains("--enable-80-443") || arguments.contains("--disable-80-443");
                case "auth" -> !arguments.isEmpty() && arguments.get(0).matches("add-key|remove-key");
                // A command marked by-arguments without a rule here changes the node until one says otherwise.
                default -> true;
            };
        };
    }

    /**
     * The longest {@code command} with these (stored) arguments may wait on the node by its own options, in seconds
     * ({@code update --timeout 3600} waits up to twice that); 0 for a command that does not wait.
     */
    public long waitSeconds(String command, List<String> arguments) {
        return find(command).map(Operation::waits).map(wait -> wait.seconds(arguments)).orElse(0L);
    }

    /** The catalog's rule, then the shell-quoting layer's own limits, so nothing it would refuse gets a run. */
    private static Optional<String> check(ArgumentRule rule, String value) {
        Optional<String> problem = rule.check(value);
        return problem.isPresent() ? problem : ShellQuoting.problem(value);
    }

    private void read(String command, String summary) {
        add(new Operation(command, summary, NEVER, List.of(), false, List.of(), null));
    }

    private void add(Operation operation) {
        operations.put(operation.command(), operation);
    }
}
