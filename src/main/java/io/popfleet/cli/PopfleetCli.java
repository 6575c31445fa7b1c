package io.popfleet.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code popfleet}: the controller's REST API from a terminal or a script. Standalone: it talks HTTP to a
 * controller and shares no code with it, so its jar holds only this package, picocli and Jackson.
 */
@Command(name = "popfleet", mixinStandardHelpOptions = true, version = "popfleet 0.1.0 (PoP Fleet command line)",
        description = "Manage a PoP Fleet controller from a terminal or a script.",
        subcommands = { NodesCommand.class, InventoryCommand.class, OperationsCommand.class, RunCommand.class,
                RunsCommand.class, FleetCommands.Leaderboard.class, FleetCommands.Drift.class,
                FleetCommands.Alerts.class, FleetCommands.Audit.class, HostKeysCommand.class,
                CredentialsCommand.class, RolloutCommand.class, BackupCommand.class, CompletionCommand.class },
        footerHeading = "%nExamples:%n",
        footer = { "  export POPFLEET_URL=https://fleet.example.net POPFLEET_TOKEN=pft_...",
                "  popfleet nodes list --group eu-west",
                "  popfleet run status --group eu-west --wait --output jsonl",
                "  popfleet run restart --node pop-fra-01 --wait --yes",
                "%nExit codes (docs/cli.md):",
                "  0  done; for a run, every node succeeded",
                "  1  some nodes failed (or were cancelled)",
                "  2  bad usage or configuration",
                "  3  refused by the controller: nothing was changed",
                "  4  token refused, or its role may not do this",
                "  5  controller unreachable, TLS not trusted, or a server error" })
public final class PopfleetCli implements Runnable {

    /** How answers are printed. */
    public enum Format {
        table, json, jsonl
    }

    /** What the process gives the command line; tests pass their own. */
    public record Environment(Map<String, String> variables, PrintWriter out, PrintWriter err, InputStream in,
            boolean terminal) {
    }

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "The controller, e.g. https://fleet.example.net (default: $POPFLEET_URL, then the config file)")
    String url;

    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "An API token, pft_... (default: $POPFLEET_TOKEN, then the config file). Other users can"
                    + " see a command line: prefer the variable or the file")
    String token;

    @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Trust only this CA (PEM) for the controller's TLS certificate, instead of the JDK's trust"
                    + " store (default: $POPFLEET_CA_FILE, then ca-file in the config file)")
    Path caFile;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "The config file (default: $POPFLEET_CONFIG, else ~/.config/popfleet/config); it must be"
                    + " mode 0600")
    Path configFile;

    @Option(names = { "-o", "--output" }, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), json or jsonl (one object a line)")
    Format output;

    @Spec
    CommandLine.Model.CommandSpec spec;

    private final Environment environment;
    private ApiClient api;

    public PopfleetCli(Environment environment) {
        this.environment = environment;
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        System.exit(execute(new Environment(System.getenv(), out, err, System.in, System.console() != null), args));
    }

    /** Runs one command line; answers its exit code (see {@link ExitCodes}). */
    public static int execute(Environment environment, String... args) {
        CommandLine commandLine = commandLine(environment);
        int code = commandLine.execute(args);
        environment.out().flush();
        environment.err().flush();
        return code;
    }

    static CommandLine commandLine(Environment environment) {
        CommandLine commandLine = new CommandLine(new PopfleetCli(environment));
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(environment.out());
        commandLine.setErr(environment.err());
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CliException failure) {
                environment.err().println("popfleet: " + failure.getMessage());
                return failure.exitCode();
            }
            environment.err().println("popfleet: unexpected error (a bug, please report it): "
                    + ApiClient.oneLine(String.valueOf(e)));
            return ExitCodes.INTERNAL;
        });
        commandLine.setParameterExceptionHandler((e, args) -> {
            environment.err().println("popfleet: " + ApiClient.oneLine(e.getMessage()) + " (see "
                    + e.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return ExitCodes.USAGE;
        });
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(environment.err());
        throw new CliException(ExitCodes.USAGE, "name a command");
    }

    Environment environment() {
        return environment;
    }

    /** The client, configured on first use so that --help and completion need no URL or token. */
    ApiClient api() {
        if (api == null) {
            Path file = configFile != null ? configFile : CliConfig.defaultFile(environment.variables());
            CliConfig config = CliConfig.resolve(url, token, caFile, environment.variables(), file);
            api = new ApiClient(config.url(), config.token(), config.caFile());
        }
        return api;
    }

    Format output() {
        return output;
    }
}
