package io.popfleet.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

@Command(name = "completion", description = "Print a bash completion script (zsh too, with bashcompinit).",
        mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = { "  source <(popfleet completion)", "  popfleet completion > /etc/bash_completion.d/popfleet",
                "  zsh: autoload -U +X bashcompinit && bashcompinit && source <(popfleet completion)" })
final class CompletionCommand extends ApiCommand {

    @Override
    public Integer call() {
        out().print(AutoComplete.bash("popfleet", spec.root().commandLine()));
        return ExitCodes.OK;
    }
}
