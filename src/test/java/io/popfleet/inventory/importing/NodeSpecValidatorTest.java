package io.popfleet.inventory.importing;

import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.popfleet.inventory.importing.Inventories.iniProblems;
import static io.popfleet.inventory.importing.Inventories.messages;
import static io.popfleet.inventory.importing.Inventories.yaml;
import static io.popfleet.inventory.importing.Inventories.yamlProblems;
import static org.assertj.core.api.Assertions.assertThat;

class NodeSpecValidatorTest {

    private static String oneNode(String fields) {
        return "version: 1\nnodes:\n  - name: a\n    host: 203.0.113.1\n" + fields;
    }

    @Test
    void refusesDuplicateNodeNameNamingBothLines() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                nodes:
                  - {name: pop-1, host: 203.0.113.1}
                  - {name: pop-2, host: 203.0.113.2}
                  - {name: POP-1, host: 203.0.113.3}
                """);

        assertThat(messages(problems)).containsExactly(
                "line 5, column 12: duplicate node name 'POP-1': already used on line 3, column 5");
    }

    @Test
    void refusesDuplicateHostAndPortNamingBothNodesAndLines() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                nodes:
                  - {name: a, host: 2001:db8::1}
                  - {name: b, host: "2001:DB8:0:0::1"}
                  - {name: c, host: 2001:db8::1, port: 2222}
                """);

        assertThat(messages(problems)).containsExactly("line 4, column 21: duplicate host:port 2001:DB8:0:0::1:22: "
                + "node 'b' and node 'a' on line 3, column 5 would be the same machine");
    }

    @Test
    void refusesDuplicateHostInIniAcrossDifferentNames() {
        List<ImportProblem> problems = iniProblems("""
                a ansible_host=203.0.113.1
                b ansible_host=203.0.113.1
                """);

        assertThat(messages(problems)).containsExactly("line 2, column 16: duplicate host:port 203.0.113.1:22: "
                + "node 'b' and node 'a' on line 1, column 1 would be the same machine");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pop_1.example.net_", "-pop.example.net", "pop-.example.net", "pop..example.net",
            "256.1.1.1", "10.0.0.01", "1.2.3", "2001:db8:::1", "2001:db8::g", "1:2:3:4:5:6:7:8:9",
            "example.net.", "exa mple.net", "1.2.3.4::", "::1%eth0", "[2001:db8::1]", "a.-b.net", "'x'"})
    void refusesInvalidHostNamesAndAddresses(String host) {
        List<ImportProblem> problems = yamlProblems("version: 1\nnodes:\n  - name: a\n    host: \"" + host + "\"\n");

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0)).extracting(ImportProblem::line, ImportProblem::column).containsExactly(4, 11);
        assertThat(problems.get(0).message()).contains(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pop-1.example.net", "localhost", "203.0.113.255", "0.0.0.0", "::1", "2001:db8::",
            "::ffff:192.0.2.1", "fe80:0:0:0:200:f8ff:fe21:67cf", "xn--bcher-kva.example", "1a.example.net"})
    void acceptsValidHostNamesAndAddresses(String host) {
        assertThat(HostAddress.problem(host)).isEmpty();
    }

    @Test
    void refusesPortOutOfRangeWithLineAndColumn() {
        assertThat(messages(yamlProblems(oneNode("    port: 70000\n"))))
                .containsExactly("line 5, column 11: port 70000 is out of range (1-65535)");
        assertThat(messages(yamlProblems(oneNode("    port: 0\n"))))
                .containsExactly("line 5, column 11: port 0 is out of range (1-65535)");
        assertThat(messages(yamlProblems(oneNode("    port: ssh\n"))))
                .containsExactly("line 5, column 11: port 'ssh' is not a number");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Root", "1user", "user name", "a-very-long-user-name-that-is-over-32", "us$er"})
    void refusesSshUserNotMatchingThePattern(String user) {
        List<ImportProblem> problems = yamlProblems(oneNode("    user: \"" + user + "\"\n"));

        assertThat(messages(problems)).containsExactly("line 5, column 11: SSH user '" + user
                + "' does not match ^[a-z_][a-z0-9_-]{0,31}$ (lower-case letters, digits, '_' and '-', starting "
                + "with a letter or '_')");
    }

    @Test
    void refusesInvalidWalletTagsRegionCredentialAndNotes() {
        List<ImportProblem> problems = yamlProblems(oneNode("""
                    wallet: 0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl
                    tags: ["bad key", "k=v w", ok, ok]
                    region: "eu west"
                    credential: "my key"
                    notes: "%s"
                    enabled: maybe
                """.formatted("x".repeat(501))));

        assertThat(messages(problems)).containsExactly(
                "line 5, column 13: wallet '0OIl0OIl0OIl0OIl0OIl0OIl0OIl0OIl' is not a Solana address (base58 "
                        + "without 0, O, I, l; 32-44 characters encoding 32 bytes)",
                "line 6, column 12: tag 'bad key' is not allowed (1-63 letters, digits, '.', '_' or '-', starting "
                        + "with a letter or digit)",
                "line 6, column 23: tag value 'v w' of 'k' is not allowed (1-128 letters, digits or ._:/@+-)",
                "line 6, column 36: tag 'ok' is given twice",
                "line 7, column 13: region 'eu west' is not allowed (1-63 letters, digits, '.', '_' or '-')",
                "line 8, column 17: credential 'my key' is not a valid credential name (letters, digits and "
                        + "._:/@+-, no spaces, up to 128 characters)",
                "line 9, column 12: notes is 501 characters; the limit is 500",
                "line 10, column 14: enabled 'maybe' is not a boolean (true or false)");
    }

    @Test
    void refusesWalletOfRightAlphabetButWrongLength() {
        // 43 base58 characters that decode to 31 bytes: a dropped character, caught by decoding.
        assertThat(SolanaAddress.isValid("4B2sVhKZWWECcg1udXpgKquhRZFiw6wTpEcRzwK4L9h")).isFalse();
        assertThat(SolanaAddress.isValid("4B2sVhKZWWECcg1udXpgKquhRZFiw6wTpEcRzwK4L9hS")).isTrue();
        assertThat(SolanaAddress.isValid("11111111111111111111111111111111")).isTrue();
    }

    @Test
    void refusesInvalidAndReservedGroupNames() {
        List<ImportProblem> problems = yamlProblems("""
                version: 1
                groups:
                  "bad group": {}
                  all: {}
                nodes: []
                """);

        assertThat(messages(problems)).containsExactly(
                "line 3, column 16: group name 'bad group' is not allowed (1-63 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit)",
                "line 4, column 8: group name 'all' is reserved (Ansible's implicit group)");
    }

    @Test
    void refusesNodeWithoutNameOrHost() {
        assertThat(messages(yamlProblems("version: 1\nnodes:\n  - {region: eu}\n")))
                .containsExactly("line 3, column 5: node has no name", "line 3, column 5: node has no host");
    }

    @Test
    void collectsEveryProblemAndCapsTheList() {
        StringBuilder file = new StringBuilder("version: 1\nnodes:\n");
        for (int i = 0; i < 150; i++) {
            file.append("  - {name: n").append(i).append(", host: 203.0.113.1, port: 99999}\n");
        }

        List<ImportProblem> problems = yamlProblems(file.toString());

        assertThat(problems).hasSize(InventoryLimits.MAX_PROBLEMS + 1);
        assertThat(problems.get(0).toString()).isEqualTo("line 3, column 41: port 99999 is out of range (1-65535)");
        assertThat(problems.get(InventoryLimits.MAX_PROBLEMS).toString()).isEqualTo("and 50 more problems");
    }

    @Test
    void checksANodeBuiltOutsideAFile() throws Exception {
        NodeSpec good = yaml(oneNode("")).nodes().get(0);
        NodeSpec bad = new NodeSpec("a b", "256.0.0.1", 0, "Root", null, true, null, null, null, null, "sometimes",
                "pop; rm -rf ~", List.of("all"), new TreeMap<>(), SourcePosition.UNKNOWN);

        assertThat(NodeSpecValidator.problemsOf(good)).isEmpty();
        assertThat(NodeSpecValidator.problemsOf(bad)).hasSize(7)
                .contains("node tool 'sometimes' is neither shipped nor installed")
                .anyMatch(problem -> problem.startsWith("node tool path 'pop; rm -rf ~' is neither an absolute path"));
    }
}
