package io.popfleet.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import io.quarkus.panache.common.Sort;

import io.popfleet.inventory.importing.InventoryExporter;
import io.popfleet.inventory.importing.InventoryFormat;
import io.popfleet.inventory.importing.NodeSpec;
import io.popfleet.inventory.importing.SourcePosition;

/** Writes the stored inventory back out as a file that imports to the same inventory. */
@ApplicationScoped
public class InventoryExport {

    @Transactional(Transactional.TxType.SUPPORTS)
    public String export(InventoryFormat format) {
        List<NodeSpec> specs = new ArrayList<>();
        for (Node node : Node.<Node>listAll(Sort.by("name"))) {
            specs.add(new NodeSpec(node.name, node.host, node.sshPort, node.sshUser, node.credentialRef, node.enabled,
                    node.region, node.walletAddress, node.notes, node.jump, node.nodeTool, node.nodeToolPath,
                    List.copyOf(node.groupNames()), node.tagMap(),
                    SourcePosition.UNKNOWN));
        }
        TreeMap<String, String> groups = new TreeMap<>();
        NodeGroup.listByName().forEach(group -> groups.put(group.name, group.description));
        return new InventoryExporter().export(specs, groups, format);
    }
}
