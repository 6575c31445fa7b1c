package io.popfleet.inventory.importing;

import java.util.List;

import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads PoP Fleet's YAML inventory (docs/inventory.md): safe composition ({@link YamlComposer}), the format's
 * shape and precedence ({@link YamlInventoryReader}), then the shared node rules ({@link NodeSpecValidator}).
 */
public final class YamlInventoryParser implements InventoryParser {

    @Override
    public InventoryFormat format() {
        return InventoryFormat.YAML;
    }

    @Override
    public ParsedInventory parse(byte[] content) throws InventoryRejectedException {
        String text = InventoryText.decode(content);
        Node root = YamlComposer.compose(text);
        if (root == null) {
            throw Problems.rejection("the file is empty (it has only comments)");
        }
        Problems problems = new Problems();
        YamlInventoryReader reader = new YamlInventoryReader(problems);
        reader.read(root);
        List<NodeSpec> specs = new NodeSpecValidator(problems).validateAll(reader.drafts());
        problems.throwIfAny();
        return new ParsedInventory(InventoryFormat.YAML, List.copyOf(specs), reader.groups(), List.of());
    }
}
