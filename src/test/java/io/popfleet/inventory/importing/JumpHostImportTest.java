package io.popfleet.inventory.importing;

import org.junit.jupiter.api.Test;

import static io.popfleet.inventory.importing.Inventories.ini;
import static io.popfleet.inventory.importing.Inventories.iniProblems;
import static io.popfleet.inventory.importing.Inventories.messages;
import static io.popfleet.inventory.importing.Inventories.node;
import static io.popfleet.inventory.importing.Inventories.yaml;
import static io.popfleet.inventory.importing.Inventories.yamlProblems;
import static org.assertj.core.api.Assertions.assertThat;

/** Nodes behind a bastion: named in either format, checked across the file, kept by an export. */
class JumpHostImportTest {

    private static final String BEHIND_A_BASTION = """
            version: 1
            groups:
              private:
                vars:
                  jump: bastion-1
            nodes:
              - name: bastion-1
                host: 198.51.100.1
                enabled: false
              - name: pop-a
                host: 10.0.0.11
                groups: [private]
              - name: pop-b
                host: 10.0.0.12
                groups: [private]
                jump: bastion-2
              - name: bastion-2
                host: 198.51.100.2
                enabled: false
              - name: pop-c
                host: 203.0.113.9
            """;

    @Test
    void aGroupsJumpHostAppliesToItsNodesAndANodeMayNameItsOwn() throws Exception {
        ParsedInventory inventory = yaml(BEHIND_A_BASTION);

        assertThat(node(inventory, "pop-a").jump()).isEqualTo("bastion-1");
        assertThat(node(inventory, "pop-b").jump()).as("the node's own setting wins").isEqualTo("bastion-2");
        assertThat(node(inventory, "pop-c").jump()).isNull();
        assertThat(node(inventory, "bastion-1").jump()).isNull();
    }

    @Test
    void bothFormatsExportAndReimportTheJumpHosts() throws Exception {
        ParsedInventory inventory = yaml(BEHIND_A_BASTION);
        InventoryExporter exporter = new InventoryExporter();

        for (InventoryFormat format : InventoryFormat.values()) {
            String exported = exporter.export(inventory, format);
            ParsedInventory again = format == InventoryFormat.YAML ? yaml(exported) : ini(exported);
            assertThat(again.nodes().stream().map(Inventories::positionless).toList()).as(format + ":\n" + exported)
                    .containsExactlyInAnyOrderElementsOf(inventory.nodes().stream().map(Inventories::positionless)
                            .toList());
        }
        assertThat(exporter.export(inventory, InventoryFormat.INI)).contains("popfleet_jump=bastion-1");
    }

    @Test
    void aJumpHostMustBeAnEntryOfTheFileReachedDirectlyAndNotTheNodeItself() {
        assertThat(messages(yamlProblems("""
                version: 1
                nodes:
                  - name: pop-a
                    host: 10.0.0.11
                    jump: nowhere
                  - name: pop-b
                    host: 10.0.0.12
                    jump: pop-b
                  - name: bastion
                    host: 198.51.100.1
                    jump: pop-a
                  - name: pop-c
                    host: 10.0.0.13
                    jump: bastion
                  - name: pop-d
                    host: 10.0.0.14
                    jump: "not a name"
                """))).containsExactlyInAnyOrder(
                "line 5, column 11: jump host 'nowhere' of node 'pop-a' is not a node of this inventory: add the"
                        + " bastion as an entry (enabled: false keeps runs off it) so its host key can be pinned",
                "line 8, column 11: node 'pop-b' cannot be its own jump host",
                "line 11, column 11: jump host 'pop-a' of node 'bastion' is itself reached through 'nowhere': one hop"
                        + " is supported",
                "line 14, column 11: jump host 'bastion' of node 'pop-c' is itself reached through 'pop-a': one hop"
                        + " is supported",
                "line 17, column 11: jump host 'not a name' is not a node name (name the inventory entry of the"
                        + " bastion)");
    }

    @Test
    void anAnsibleInventoryNamesItsBastionWithPopfleetJumpAndIsToldSoWhenItUsesSshOptions() throws Exception {
        ParsedInventory inventory = ini("""
                bastion ansible_host=198.51.100.1 popfleet_enabled=false
                [private]
                pop-a ansible_host=10.0.0.11
                [private:vars]
                popfleet_jump=bastion
                ansible_ssh_common_args='-o ProxyJump=ops@198.51.100.1'
                """);

        assertThat(node(inventory, "pop-a").jump()).isEqualTo("bastion");
        assertThat(messages(inventory.warnings())).anySatisfy(warning -> assertThat(warning)
                .contains("ansible_ssh_common_args").contains("popfleet_jump"));
        assertThat(messages(iniProblems("pop-a ansible_host=10.0.0.11 popfleet_bastion=b\n"))).singleElement()
                .asString().contains("did you mean popfleet_jump?");
    }
}
