package io.popfleet.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "credentials", description = "SSH credentials the controller logs in with (admin): list, generate,"
        + " import. The private key never leaves the controller.", mixinStandardHelpOptions = true,
        subcommands = { CredentialsCommand.List.class, CredentialsCommand.Generate.class,
                CredentialsCommand.Import.class },
        footerHeading = "%nExamples:%n", footer = { "  popfleet credentials generate fleet-2026",
                "  popfleet credentials import old-key --key-file ~/.ssh/id_ed25519 --passphrase-env KEY_PASS" })
final class CredentialsCommand extends GroupCommand {

    static java.util.List<String> row(JsonNode credential) {
        return java.util.List.of(text(credential, "name"), text(credential, "keyType"),
                text(credential, "fingerprint"), text(credential, "createdAt"), text(credential, "createdBy"));
    }


    @Command(name = "list", description = "The credentials, with their public keys' fingerprints.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n", footer = "  popfleet credentials list")
    static final class List extends ApiCommand {
        @Override
        public Integer call() {
            printList(api().all("/api/v1/ssh/credentials", Map.of()), java.util.List.of("NAME", "TYPE",
                    "FINGERPRINT", "CREATED", "BY"), CredentialsCommand::row);
            return ExitCodes.OK;
        }
    }

    /** Prints a new credential: its public key line, to append to the nodes' authorized_keys. */
    abstract static class Creating extends ApiCommand {
        void print(JsonNode credential) {
            if (format() == PopfleetCli.Format.table) {
                out().println("created " + text(credential, "name") + " (" + text(credential, "fingerprint")
                        + "); its public key, for the nodes' authorized_keys:");
                out().println(text(credential, "publicKey"));
            } else {
                printObject(credential);
            }
        }
    }

    @Command(name = "generate", description = "A new ed25519 key pair, kept on the controller.",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet credentials generate fleet-2026")
    static final class Generate extends Creating {

        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            print(api().post("/api/v1/ssh/credentials/generate", Map.of("name", name)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "import", description = "Store an existing private key (OpenSSH or PEM).",
            mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
            footer = "  popfleet credentials import old-key --key-file ~/.ssh/id_ed25519 --passphrase-env KEY_PASS")
    static final class Import extends Creating {

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--key-file", required = true, paramLabel = "FILE", description = "The private key file")
        Path keyFile;

        @Option(names = "--passphrase-env", paramLabel = "VARIABLE", description = "The environment variable"
                + " holding the key's passphrase (used once, not stored)")
        String passphraseVariable;

        @Override
        public Integer call() {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("name", name);
            try {
                body.put("privateKey", Files.readString(keyFile));
            } catch (IOException e) {
                throw new CliException(ExitCodes.USAGE, "cannot read " + keyFile + ": " + e.getMessage());
            }
            if (passphraseVariable != null) {
                String passphrase = root().environment().variables().get(passphraseVariable);
                if (passphrase == null) {
                    throw new CliException(ExitCodes.USAGE, "the variable " + passphraseVariable + " is not set");
                }
                body.put("passphrase", passphrase);
            }
            print(api().post("/api/v1/ssh/credentials/import", body));
            return ExitCodes.OK;
        }
    }
}
