package io.popfleet.inventory.importing;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static io.popfleet.inventory.importing.Inventories.messages;
import static io.popfleet.inventory.importing.Inventories.node;
import static io.popfleet.inventory.importing.Inventories.yaml;
import static io.popfleet.inventory.importing.Inventories.yamlProblems;
import static org.assertj.core.api.Assertions.assertThat;

class YamlInventoryParserTest {

    private static final String WALLET = "4B2sVhKZWWECcg1udXpgKquhRZFiw6wTpEcRzwK4L9hS";

    @Test
    void readsEveryNodeFieldWithItsPosition() throws Exception {
        ParsedInventory inventory = yaml("""
                version: 1
                groups:
                  eu:
                    description: Europe
                nodes:
                  - name: pop-1
                    host: 203.0.113.10
                    port: 2222
                    user: pipe
                    credential: fleet-key
                    enabled: false
                    region: eu-west
                    wallet: %s
                    notes: rack 4
                    groups: [eu]
                    tags: [gold, provider=ovh]
                """.formatted(WALLET));

        assertThat(inventory.format()).isEqualTo(InventoryFormat.YAML);
        assertThat(inventory.groups()).containsExactlyEntriesOf(Map.of("eu", "Europe"));
        assertThat(inventory.warnings()).isEmpty();
        NodeSpec n = node(inventory, "pop-1");
        assertThat(n.host()).isEqualTo("203.0.113.10");
        assertThat(n.sshPort()).isEqualTo(2222);
        assertThat(n.sshUser()).isEqualTo("pipe");
        assertThat(n.credentialRef()).isEqualTo("fleet-key");
        assertThat(n.enabled()).isFalse();
        assertThat(n.region()).isEqualTo("eu-west");
        assertThat(n.walletAddress()).isEqualTo(WALLET);
        assertThat(n.notes()).isEqualTo("rack 4");
        assertThat(n.groups()).containsExactly("eu");
        assertThat(n.tags()).containsEntry("gold", null).containsEntry("provider", "ovh").hasSize(2);
        assertThat(n.position()).isEqualTo(new SourcePosition(6, 5));
    }

    @Test
    void appliesBuiltInDefaultsWhenNothingIsSet() throws Exception {
        NodeSpec n = node(yaml("version: 1\nnodes:\n  - {name: a, host: a.example.net}\n"), "a");

        assertThat(n.sshPort()).isEqualTo(NodeSpec.DEFAULT_SSH_PORT);
        assertThat(n.sshUser()).isEqualTo(NodeSpec.DEFAULT_SSH_USER);
        assertThat(n.enabled()).isTrue();
        assertThat(n.credentialRef()).isNull();
        assertThat(n.region()).isNull();
        assertThat(n.groups()).isEmpty();
        assertThat(n.tags()).isEmpty();
    }

    @Test
    void nodeBeatsFirstListedGroupBeatsLaterGroupBeatsDefaults() throws Exception {
        ParsedInventory inventory = yaml("""
                version: 1
                defaults: {ssh_user: base, ssh_port: 2000, region: default-region, credential: default-key}
                groups:
                  first:
                    vars: {ssh_port: 3000}
                  second:
                    vars: {ssh_port: 4000, region: second-region}
                nodes:
                  - {name: a, host: 203.0.113.1, groups: [first, second]}
                  - {name: b, host: 203.0.113.2, groups: [second, first]}
                  - {name: c, host: 203.0.113.3, groups: [first, second], port: 5000, region: own}
                  - {name: d, host: 203.0.113.4}
                """);

        assertThat(node(inventory, "a")).extracting(NodeSpec::sshPort, NodeSpec::region, NodeSpec::sshUser)
                .containsExactly(3000, "second-region", "base");
        assertThat(node(inventory, "b").sshPort()).isEqualTo(4000);
        assertThat(node(inventory, "c")).extracting(NodeSpec::sshPort, NodeSpec::region).containsExactly(5000, "own");
        assertThat(node(inventory, "d")).extracting(NodeSpec::sshPort, NodeSpec::region, NodeSpec::credentialRef)
                .containsExactly(2000, "default-region", "default-key");
    }

    @Test
    void refusesMalformedYamlWithLineAndColumn() {
        List<ImportProblem> problems = yamlProblems("version: 1\nnodes:\n  - name: a\n   host: [unclosed\n");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).line()).isPositive();
        assertThat(problems.get(0).column()).isPositive();
        assertThat(problems.get(0).message()).startsWith("not valid YAML");
    }

    @Test
    void refusesUnknownFieldNamingItWithASuggestion() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                nodes:
                  - name: a
                    host: 203.0.113.1
                    hots: typo
                    ssh_port: 22
                """);

        assertThat(messages(problems)).containsExactly(
                "line 5, column 5: unknown field 'hots' in a node (did you mean host?)",
                "line 6, column 5: unknown field 'ssh_port' in a node (did you mean port?)");
    }

    @Test
    void refusesUnknownFieldInDefaultsAndGroups() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                defaults: {port: 22}
                groups:
                  eu: {descripton: x}
                nodes: []
                """);

        assertThat(messages(problems)).containsExactly(
                "line 2, column 12: unknown field 'port' in defaults (did you mean ssh_port?)",
                "line 4, column 8: unknown field 'descripton' in group 'eu' (did you mean description?)");
    }

    @Test
    void refusesGroupNotDeclared() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                groups: {europe: {}}
                nodes:
                  - {name: a, host: 203.0.113.1, groups: [europa]}
                """);

        assertThat(messages(problems)).containsExactly(
                "line 4, column 43: group 'europa' is not declared under groups: (did you mean europe?)");
    }

    @Test
    void refusesDuplicateKeyNamingBothLines() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                nodes:
                  - name: a
                    host: 203.0.113.1
                    host: 203.0.113.2
                """);

        assertThat(messages(problems)).containsExactly(
                "line 5, column 5: 'host' is given twice in a node (first on line 4, column 5)");
    }

    @Test
    void refusesMissingVersionOrNodesAndUnsupportedVersion() {
        assertThat(messages(yamlProblems("nodes: []\n")))
                .containsExactly("line 1, column 1: the file has no 'version: 1' line");
        assertThat(messages(yamlProblems("version: 1\ngroups: {}\n"))).containsExactly("line 1, column 1: the "
                + "file has no 'nodes:' list (write 'nodes: []' for an inventory without nodes)");
        assertThat(messages(yamlProblems("version: 2\nnodes: []\n")))
                .containsExactly("line 1, column 10: version 2 is not supported (this controller reads version 1)");
    }

    @Test
    void refusesAnchorsAndAliases() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                defaults: &d {ssh_user: abc}
                nodes: []
                """);

        assertThat(messages(problems)).containsExactly("line 2, column 11: YAML anchors and aliases (&d, *d) are "
                + "not supported; use defaults or groups to share settings");
    }

    @Test
    void refusesTagsThatWouldConstructObjects() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                nodes:
                  - !!python/object:os.system {name: a, host: 203.0.113.1}
                  - !local {name: b, host: 203.0.113.2}
                """);

        assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p.line()).isPositive());
        assertThat(problems.get(0).toString()).startsWith("line 3, column 5:").contains("tag");
    }

    @Test
    void stopsAnAliasBombBeforeExpandingIt() {
        StringBuilder bomb = new StringBuilder("version: 1\na: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'p'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append("]\n");
        }

        List<ImportProblem> problems = yamlProblems(bomb.toString());

        assertThat(messages(problems)).containsExactly("line 3, column 8: YAML anchors and aliases are not "
                + "supported; use defaults or groups to share settings");
    }

    @Test
    void refusesWrongShapesWithPositions() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                nodes:
                  - name: [a, b]
                    host: 203.0.113.1
                    groups: eu
                  - just-a-string
                """);

        assertThat(messages(problems)).containsExactly(
                "line 3, column 11: name must be a single value, not a list",
                "line 5, column 13: groups must be a list (- item lines or [a, b]), not 'eu'",
                "line 6, column 5: a node must be a mapping of key: value lines, not 'just-a-string'");
    }

    @Test
    void readsYamlBooleansAndNorwayAsText() throws Exception {
        ParsedInventory inventory = yaml("""
                version: 1
                nodes:
                  - {name: a, host: 203.0.113.1, enabled: no, region: "no"}
                  - {name: b, host: 203.0.113.2, region: no}
                """);

        assertThat(node(inventory, "a").enabled()).isFalse();
        assertThat(node(inventory, "a").region()).isEqualTo("no");
        assertThat(node(inventory, "b").region()).isEqualTo("no");
    }

    @Test
    void treatsAFileOfOnlyCommentsAsEmpty() {
        assertThat(messages(yamlProblems("# nothing here\n\n")))
                .containsExactly("the file is empty (it has only comments)");
    }
}
