package io.popfleet.inventory.importing;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Test helpers: parse text, or expect a refusal and return its problems as the operator sees them. */
final class Inventories {

    private Inventories() {
    }

    static ParsedInventory yaml(String text) throws InventoryRejectedException {
        return new YamlInventoryParser().parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static ParsedInventory ini(String text) throws InventoryRejectedException {
        return new IniInventoryParser().parse(text.getBytes(StandardCharsets.UTF_8));
    }

    static List<ImportProblem> yamlProblems(String text) {
        return refusal(() -> yaml(text));
    }

    static List<ImportProblem> iniProblems(String text) {
        return refusal(() -> ini(text));
    }

    static List<String> messages(List<ImportProblem> problems) {
        return problems.stream().map(ImportProblem::toString).toList();
    }

    static NodeSpec node(ParsedInventory inventory, String name) {
        return inventory.nodes().stream().filter(n -> n.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no node " + name + " in " + inventory.nodes()));
    }

    /** The spec without where it came from, for comparing a round trip. */
    static NodeSpec positionless(NodeSpec n) {
        return new NodeSpec(n.name(), n.host(), n.sshPort(), n.sshUser(), n.credentialRef(), n.enabled(), n.region(),
                n.walletAddress(), n.notes(), n.jump(), n.nodeTool(), n.nodeToolPath(), n.groups(), n.tags(), SourcePosition.UNKNOWN);
    }

    interface Parse {
        ParsedInventory run() throws InventoryRejectedException;
    }

    static List<ImportProblem> refusal(Parse parse) {
        InventoryRejectedException e = catchThrowableOfType(InventoryRejectedException.class, parse::run);
        if (e == null) {
            throw new AssertionError("expected the inventory to be refused");
        }
        return e.problems();
    }
}
