package io.popfleet.cli;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import picocli.CommandLine.Command;

@Command(name = "operations", description = "The operations a run can start, their arguments and whether they"
        + " change nodes.", mixinStandardHelpOptions = true, footerHeading = "%nExamples:%n",
        footer = "  popfleet operations")
final class OperationsCommand extends ApiCommand {

    @Override
    public Integer call() {
        List<JsonNode> operations = new ArrayList<>();
        api().get("/api/v1/operations").forEach(operations::add);
        printList(operations, List.of("OPERATION", "CHANGES NODES", "ARGUMENTS", "SUMMARY"), operation -> {
            List<String> arguments = new ArrayList<>();
            operation.path("arguments").forEach(argument -> arguments.add(argument.path("required").asBoolean()
                    ? argument.path("name").asText() : "[" + argument.path("name").asText() + "]"));
            return List.of(text(operation, "operation"), text(operation, "mutates"), String.join(" ", arguments),
                    text(operation, "summary"));
        });
        return ExitCodes.OK;
    }
}
