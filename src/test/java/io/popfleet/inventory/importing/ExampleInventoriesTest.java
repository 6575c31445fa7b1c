package io.popfleet.inventory.importing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import static io.popfleet.inventory.importing.Inventories.node;
import static org.assertj.core.api.Assertions.assertThat;

/** The example files in inventory/ are what an operator copies first; they must parse and import together. */
class ExampleInventoriesTest {

    private static ParsedInventory parse(String file) throws Exception {
        return InventoryFormats.parse(file, Files.readAllBytes(Path.of(file)));
    }

    @Test
    void yamlExampleParsesWithGroupsTagsAndPrecedence() throws Exception {
        ParsedInventory inventory = parse("inventory/fleet.example.yaml");

        assertThat(inventory.format()).isEqualTo(InventoryFormat.YAML);
        assertThat(inventory.nodes()).hasSize(10);
        assertThat(inventory.groups()).containsKeys("eu-west", "us-east", "ap-south", "canary", "maintenance");
        assertThat(inventory.warnings()).isEmpty();
        assertThat(node(inventory, "pop-nyc-01").sshPort()).isEqualTo(2222); // from the us-east group
        assertThat(node(inventory, "pop-mia-01").sshPort()).isEqualTo(22); // the node overrides its group
        assertThat(node(inventory, "pop-sin-01").region()).isEqualTo("ap-southeast");
        assertThat(node(inventory, "pop-bom-01").credentialRef()).isEqualTo("fleet-apac");
        assertThat(node(inventory, "pop-lon-01").host()).isEqualTo("2001:db8::21");
    }

    @Test
    void iniExampleParsesWithRangesChildrenAndAWarning() throws Exception {
        ParsedInventory inventory = parse("inventory/hosts.example.ini");

        assertThat(inventory.format()).isEqualTo(InventoryFormat.INI);
        assertThat(inventory.nodes()).hasSize(11);
        assertThat(inventory.nodes()).extracting(NodeSpec::name).contains("pop-fra-01.example.net",
                "pop-fra-04.example.net", "pop-waw-a.example.net", "pop-waw-c.example.net");
        assertThat(node(inventory, "pop-fra-01.example.net").groups()).containsExactly("europe", "frankfurt");
        assertThat(node(inventory, "pop-waw-b.example.net").tags()).containsEntry("tier", "bronze");
        assertThat(node(inventory, "pop-fra-02.example.net").tags()).containsEntry("tier", "silver");
        assertThat(inventory.groups()).containsEntry("europe", "Central European PoPs");
        assertThat(inventory.warnings()).singleElement().asString().contains("ansible_become");
    }

    @Test
    void examplesDoNotCollideOnNameOrHostAndPort() throws Exception {
        Set<String> names = new HashSet<>();
        Set<String> endpoints = new HashSet<>();
        for (String file : new String[] {"inventory/hosts.example.ini", "inventory/fleet.example.yaml"}) {
            for (NodeSpec n : parse(file).nodes()) {
                assertThat(names.add(n.name().toLowerCase())).as("name %s", n.name()).isTrue();
                assertThat(endpoints.add(HostAddress.canonical(n.host()) + ":" + n.sshPort()))
                        .as("host:port of %s", n.name()).isTrue();
            }
        }
    }
}
