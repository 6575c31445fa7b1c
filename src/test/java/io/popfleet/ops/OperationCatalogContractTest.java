package io.popfleet.ops;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import io.popfleet.nodetool.NodeJsonSchema;
import io.popfleet.nodetool.PopTool;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The node tool is the one source of truth for which calls change a node and how long a command may wait there:
 * this runs the real {@code pop --json list-commands} and fails on any disagreement of the catalog with it.
 */
class OperationCatalogContractTest {

    /** Interactive commands the fleet offers as its own views instead (OperationCatalog's javadoc). */
    private static final Set<String> FLEET_VIEWS = Set.of("dashboard", "pulse", "help", "list-commands",
            // Host setup, run once as root on the node (sudo pop install), never by the controller's login.
            "install", "uninstall");

    private static JsonNode commands;

    private final OperationCatalog catalog = new OperationCatalog();

    @BeforeAll
    static void askTheTool(@TempDir Path home) {
        PopTool.Result listed = PopTool.tree().home(home).run("--json", "list-commands");
        assertThat(listed.exitCode()).as("%s", listed).isZero();
        NodeJsonSchema.assertValid(listed);
        commands = listed.data().path("commands");
        assertThat(commands.size()).as("%s", listed).isGreaterThan(20);
    }

    @Test
    void everyCommandOfTheToolIsInTheCatalogAndNoOtherIs() {
        Set<String> tool = new TreeSet<>();
        commands.forEach(command -> tool.add(command.path("name").asText()));
        tool.removeAll(FLEET_VIEWS);
        Set<String> ours = new TreeSet<>();
        catalog.all().forEach(operation -> ours.add(operation.command()));
        assertThat(ours).isEqualTo(tool);
    }

    @Test
    void theCatalogSaysWhatTheToolSaysAboutChangingTheNodeForEveryArgumentForm() {
        List<String> disagreements = new ArrayList<>();
        for (JsonNode command : commands) {
            String name = command.path("name").asText();
            if (FLEET_VIEWS.contains(name)) {
                continue;
            }
            Operation operation = catalog.find(name).orElseThrow();
            if (!operation.mutates().word().equals(command.path("mutates").asText())) {
                disagreements.add(name + ": the tool says " + command.path("mutates").asText() + ", the catalog "
                        + operation.mutates().word());
            }
            for (JsonNode form : command.path("forms")) {
                List<String> arguments = new ArrayList<>();
                form.path("arguments").forEach(argument -> arguments.add(argument.asText()));
                boolean catalogSays = catalog.again(name, arguments).mutating();
                if (catalogSays != form.path("mutates").asBoolean()) {
                    disagreements.add(name + " " + arguments + ": the tool says mutates="
                            + form.path("mutates").asBoolean() + ", the catalog " + catalogSays);
                }
            }
        }
        assertThat(disagreements).isEmpty();
    }

    @Test
    void theCatalogKnowsEveryOptionThatMakesACommandWaitOnTheNode() {
        List<String> disagreements = new ArrayList<>();
        for (JsonNode command : commands) {
            String name = command.path("name").asText();
            if (FLEET_VIEWS.contains(name)) {
                continue;
            }
            JsonNode timeout = command.path("timeout");
            Operation.Wait waits = catalog.find(name).orElseThrow().waits();
            String tool = timeout.isNull() ? "none" : timeout.path("option").asText() + " default "
                    + timeout.path("default").asInt() + " x" + timeout.path("waits").asInt();
            String ours = waits == null ? "none" : "--" + waits.option() + " default " + waits.defaultSeconds() + " x"
                    + waits.times();
            if (!tool.equals(ours)) {
                disagreements.add(name + ": the tool says " + tool + ", the catalog " + ours);
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(catalog.waitSeconds("update", List.of("--rollback", "--timeout", "3600"))).isEqualTo(7200);
        assertThat(catalog.waitSeconds("start", List.of("--wait", "600"))).isEqualTo(600);
        assertThat(catalog.waitSeconds("status", List.of())).isZero();
    }
}
