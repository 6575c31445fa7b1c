package io.popfleet.inventory.importing;

import org.junit.jupiter.api.Test;

import static io.popfleet.inventory.importing.Inventories.ini;
import static io.popfleet.inventory.importing.Inventories.iniProblems;
import static io.popfleet.inventory.importing.Inventories.messages;
import static io.popfleet.inventory.importing.Inventories.node;
import static io.popfleet.inventory.importing.Inventories.yaml;
import static io.popfleet.inventory.importing.Inventories.yamlProblems;
import static org.assertj.core.api.Assertions.assertThat;

/** The node tool keys: set in defaults, group vars or on a node, in either format, checked, kept by an export. */
class NodeToolImportTest {

    private static final String MANAGED = """
            version: 1
            defaults:
              node_tool_path: /usr/local/bin/pop
            groups:
              managed:
                vars:
                  node_tool: Installed
            nodes:
              - name: pop-a
                host: 10.0.0.11
                groups: [managed]
              - name: pop-b
                host: 10.0.0.12
                groups: [managed]
                node_tool: shipped
              - name: pop-c
                host: 10.0.0.13
                node_tool_path: pop
            """;

    @Test
    void aGroupsNodeToolAppliesToItsNodesAndANodesOwnKeyWins() throws Exception {
        ParsedInventory inventory = yaml(MANAGED);

        assertThat(node(inventory, "pop-a").nodeTool()).isEqualTo("installed");
        assertThat(node(inventory, "pop-a").nodeToolPath()).isEqualTo("/usr/local/bin/pop");
        assertThat(node(inventory, "pop-b").nodeTool()).as("the node's own setting wins").isEqualTo("shipped");
        assertThat(node(inventory, "pop-c").nodeTool()).as("unset: the controller's").isNull();
        assertThat(node(inventory, "pop-c").nodeToolPath()).isEqualTo("pop");
    }

    @Test
    void bothFormatsExportAndReimportTheNodeTool() throws Exception {
        ParsedInventory inventory = yaml(MANAGED);
        InventoryExporter exporter = new InventoryExporter();

        for (InventoryFormat format : InventoryFormat.values()) {
            String exported = exporter.export(inventory, format);
            ParsedInventory again = format == InventoryFormat.YAML ? yaml(exported) : ini(exported);
            assertThat(again.nodes().stream().map(Inventories::positionless).toList()).as(format + ":\n" + exported)
                    .containsExactlyInAnyOrderElementsOf(inventory.nodes().stream().map(Inventories::positionless)
                            .toList());
        }
    }

    @Test
    void anAnsibleGroupSetsItWithPopfleetVariablesAndBadValuesAreRefusedAtTheirLine() throws Exception {
        ParsedInventory inventory = ini("""
                [managed]
                pop-a ansible_host=10.0.0.11
                [managed:vars]
                popfleet_node_tool=installed
                popfleet_node_tool_path=/opt/pop/bin/pop
                """);

        assertThat(node(inventory, "pop-a").nodeTool()).isEqualTo("installed");
        assertThat(node(inventory, "pop-a").nodeToolPath()).isEqualTo("/opt/pop/bin/pop");
        assertThat(messages(iniProblems("pop-a ansible_host=10.0.0.11 popfleet_node_tool=uploaded\n")))
                .containsExactly("line 1, column 49: node tool 'uploaded' is neither shipped nor installed");
        assertThat(messages(yamlProblems("""
                version: 1
                nodes:
                  - name: pop-a
                    host: 10.0.0.11
                    node_tool_path: "pop; reboot"
                """))).singleElement().asString()
                .startsWith("line 5, column 21: node tool path 'pop; reboot' is neither an absolute path");
    }
}
