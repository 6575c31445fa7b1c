package io.popfleet.cli;

/** A command that only holds subcommands: named alone, it shows its usage. */
abstract class GroupCommand extends ApiCommand {

    @Override
    public Integer call() {
        spec.commandLine().usage(err());
        throw new CliException(ExitCodes.USAGE, "name a subcommand of " + spec.qualifiedName());
    }
}
