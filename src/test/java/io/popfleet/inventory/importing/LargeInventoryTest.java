package io.popfleet.inventory.importing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.popfleet.inventory.importing.Inventories.ini;
import static io.popfleet.inventory.importing.Inventories.node;
import static io.popfleet.inventory.importing.Inventories.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** A fleet of 10,000 nodes reads in one pass; checked for correctness here, timed in docs/benchmarks.md. */
class LargeInventoryTest {

    private static final int NODES = 10_000;

    private static String address(int i) {
        return "10." + (i / 65536) + "." + (i / 256 % 256) + "." + (i % 256);
    }

    @Test
    void readsTenThousandYamlNodes() throws Exception {
        StringBuilder file = new StringBuilder("version: 1\ngroups:\n  even: {vars: {region: even}}\n  odd: {}\n"
                + "nodes:\n");
        for (int i = 0; i < NODES; i++) {
            file.append("  - name: pop-").append(i).append("\n    host: ").append(address(i))
                    .append("\n    groups: [").append(i % 2 == 0 ? "even" : "odd").append("]\n    tags: [n=")
                    .append(i).append("]\n");
        }

        ParsedInventory inventory = yaml(file.toString());

        assertThat(inventory.nodes()).hasSize(NODES);
        assertThat(node(inventory, "pop-9998")).extracting(NodeSpec::host, NodeSpec::region, NodeSpec::groups)
                .containsExactly(address(9998), "even", List.of("even"));
        assertThat(inventory.nodes().get(NODES - 1).position().line()).isEqualTo(6 + 4 * (NODES - 1));
    }

    @Test
    void readsTenThousandIniHostsFromLinesAndFromOneRange() throws Exception {
        StringBuilder file = new StringBuilder("[lines]\n");
        for (int i = 0; i < NODES; i++) {
            file.append("pop-").append(i).append(" ansible_host=").append(address(i)).append(" ansible_become=yes\n");
        }
        file.append("[ranged]\nr[00001:10000].example.net\n[ranged:vars]\nansible_port=2222\n");

        ParsedInventory inventory = ini(file.toString());

        assertThat(inventory.nodes()).hasSize(2 * NODES);
        assertThat(node(inventory, "r00042.example.net").sshPort()).isEqualTo(2222);
        assertThat(node(inventory, "pop-9999").host()).isEqualTo(address(9999));
        // One warning per line would be 10,000; the list is capped and says how many it left out.
        assertThat(inventory.warnings()).hasSize(InventoryLimits.MAX_PROBLEMS + 1);
        assertThat(inventory.warnings().get(InventoryLimits.MAX_PROBLEMS).message())
                .isEqualTo("and 9900 more problems");
    }

    @Test
    void refusesARangeThatWouldExpandPastTheNodeLimit() {
        assertThat(Inventories.messages(Inventories.iniProblems("[g]\nh[0:999999999]\n")))
                .containsExactly("line 2, column 1: host range 'h[0:999999999]' expands to more than 100000 hosts");
    }
}
