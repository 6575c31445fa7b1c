package io.popfleet.inventory.importing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.popfleet.inventory.importing.Inventories.ini;
import static io.popfleet.inventory.importing.Inventories.iniProblems;
import static io.popfleet.inventory.importing.Inventories.messages;
import static io.popfleet.inventory.importing.Inventories.node;
import static org.assertj.core.api.Assertions.assertThat;

class IniInventoryParserTest {

    @Test
    void mapsAnsibleAndPopfleetVariablesOntoNodeFields() throws Exception {
        ParsedInventory inventory = ini("""
                [eu]
                pop-1 ansible_host=203.0.113.10 ansible_port=2222 ansible_user=pipe popfleet_credential=key-1 \
                popfleet_region=eu-west popfleet_enabled=false popfleet_notes="rack 4, shelf 2" \
                popfleet_tags=gold,provider=ovh \
                popfleet_wallet=4B2sVhKZWWECcg1udXpgKquhRZFiw6wTpEcRzwK4L9hS
                """);

        NodeSpec n = node(inventory, "pop-1");
        assertThat(n).extracting(NodeSpec::host, NodeSpec::sshPort, NodeSpec::sshUser, NodeSpec::credentialRef,
                NodeSpec::region, NodeSpec::enabled, NodeSpec::notes, NodeSpec::walletAddress)
                .containsExactly("203.0.113.10", 2222, "pipe", "key-1", "eu-west", false, "rack 4, shelf 2",
                        "4B2sVhKZWWECcg1udXpgKquhRZFiw6wTpEcRzwK4L9hS");
        assertThat(n.tags()).containsEntry("gold", null).containsEntry("provider", "ovh");
        assertThat(n.groups()).containsExactly("eu");
        assertThat(n.position()).isEqualTo(new SourcePosition(2, 1));
        assertThat(inventory.groups()).containsOnlyKeys("eu");
    }

    @Test
    void usesTheInventoryNameAsHostAndAcceptsHostColonPort() throws Exception {
        ParsedInventory inventory = ini("""
                pop-1.example.net
                pop-2.example.net:2200
                """);

        assertThat(node(inventory, "pop-1.example.net")).extracting(NodeSpec::host, NodeSpec::sshPort, NodeSpec::groups)
                .containsExactly("pop-1.example.net", 22, List.of());
        assertThat(node(inventory, "pop-2.example.net").sshPort()).isEqualTo(2200);
    }

    @Test
    void expandsNumericRangesKeepingLeadingZerosAndAlphabeticRanges() throws Exception {
        ParsedInventory inventory = ini("""
                [fra]
                pop[01:12].example.net
                [waw]
                waw-[a:c]
                [step]
                s[0:6:3]
                [bigstep]
                l[a:z:65536]
                """);

        assertThat(inventory.nodes()).extracting(NodeSpec::name).containsExactly(
                "pop01.example.net", "pop02.example.net", "pop03.example.net", "pop04.example.net",
                "pop05.example.net", "pop06.example.net", "pop07.example.net", "pop08.example.net",
                "pop09.example.net", "pop10.example.net", "pop11.example.net", "pop12.example.net",
                "waw-a", "waw-b", "waw-c", "s0", "s3", "s6", "la");
    }

    @Test
    void refusesBadRangesWithTheirLine() {
        List<ImportProblem> problems = iniProblems("""
                [g]
                pop[01:100]
                pop[9:1]
                pop[a:5]
                """);

        assertThat(messages(problems)).containsExactly(
                "line 2, column 1: host range [01:100] in 'pop[01:100]' is zero-padded, so begin and end must have "
                        + "the same width",
                "line 3, column 1: host range [9:1] in 'pop[9:1]' ends before it begins (Ansible would make no "
                        + "host from it)",
                "line 4, column 1: host range [a:5] in 'pop[a:5]' must count numbers ([01:20]) or single letters "
                        + "([a:f], [y:B])");
    }

    @Test
    void childGroupOverridesParentAndHostOverridesGroups() throws Exception {
        ParsedInventory inventory = ini("""
                [all:vars]
                ansible_user=everyone
                popfleet_region=planet

                [europe:children]
                germany

                [europe:vars]
                popfleet_region=europe
                ansible_port=2000
                popfleet_credential=eu-key

                [germany:vars]
                popfleet_region=germany

                [germany]
                fra-1 ansible_host=203.0.113.1
                fra-2 ansible_host=203.0.113.2 popfleet_region=frankfurt

                [other]
                x-1 ansible_host=203.0.113.3
                """);

        assertThat(node(inventory, "fra-1")).extracting(NodeSpec::region, NodeSpec::sshPort, NodeSpec::sshUser,
                NodeSpec::credentialRef, NodeSpec::groups)
                .containsExactly("germany", 2000, "everyone", "eu-key", List.of("europe", "germany"));
        assertThat(node(inventory, "fra-2").region()).isEqualTo("frankfurt");
        assertThat(node(inventory, "x-1")).extracting(NodeSpec::region, NodeSpec::groups)
                .containsExactly("planet", List.of("other"));
    }

    @Test
    void sameDepthGroupsApplyInAlphabeticalOrderAsAnsibleDoes() throws Exception {
        ParsedInventory inventory = ini("""
                [beta:vars]
                popfleet_region=from-beta
                [alpha:vars]
                popfleet_region=from-alpha
                [alpha]
                h1 ansible_host=203.0.113.1
                [beta]
                h1
                """);

        assertThat(node(inventory, "h1")).extracting(NodeSpec::region, NodeSpec::groups)
                .containsExactly("from-beta", List.of("alpha", "beta"));
    }

    @Test
    void implicitGroupsNeverBecomeNodeGroups() throws Exception {
        ParsedInventory inventory = ini("""
                [all]
                a ansible_host=203.0.113.1
                [ungrouped]
                b ansible_host=203.0.113.2
                [all:children]
                eu
                [ungrouped:children]
                eu
                [ungrouped:vars]
                popfleet_region=nowhere
                [eu]
                c ansible_host=203.0.113.3
                """);

        assertThat(inventory.groups()).containsOnlyKeys("eu");
        assertThat(node(inventory, "a")).extracting(NodeSpec::groups, NodeSpec::region)
                .containsExactly(List.of(), "nowhere");
        assertThat(node(inventory, "c")).extracting(NodeSpec::groups, NodeSpec::region)
                .containsExactly(List.of("eu"), null);
    }

    @Test
    void hostInSeveralGroupsIsOneNodeWithMergedHostVars() throws Exception {
        ParsedInventory inventory = ini("""
                [a]
                h1 ansible_host=203.0.113.1
                [b]
                h1 ansible_port=2222
                """);

        assertThat(inventory.nodes()).hasSize(1);
        assertThat(node(inventory, "h1"))
                .extracting(NodeSpec::host, NodeSpec::sshPort, NodeSpec::groups, NodeSpec::position)
                .containsExactly("203.0.113.1", 2222, List.of("a", "b"), new SourcePosition(2, 1));
    }

    @Test
    void warnsAboutForeignAnsibleVariablesWithTheirLine() throws Exception {
        ParsedInventory inventory = ini("""
                [g]
                h1 ansible_host=203.0.113.1 ansible_become=true
                [g:vars]
                ntp_server=pool.ntp.org
                """);

        assertThat(inventory.nodes()).hasSize(1);
        assertThat(messages(inventory.warnings())).containsExactly(
                "line 2, column 29: variable 'ansible_become' is not used by PoP Fleet and is ignored",
                "line 4, column 1: variable 'ntp_server' is not used by PoP Fleet and is ignored");
    }

    @Test
    void refusesUnknownPopfleetVariableWithASuggestion() {
        List<ImportProblem> problems = iniProblems("h1 ansible_host=203.0.113.1 popfleet_regoin=eu\n");

        assertThat(messages(problems)).containsExactly(
                "line 1, column 29: unknown variable 'popfleet_regoin' (did you mean popfleet_region?)");
    }

    @Test
    void pointsAtTheAnsibleVariableForAMisplacedPopfleetName() {
        assertThat(messages(iniProblems("h1 popfleet_port=2222\n")))
                .containsExactly("line 1, column 4: unknown variable 'popfleet_port' (did you mean ansible_port?)");
    }

    @Test
    void warnsThatSecretsInTheInventoryAreNotRead() throws Exception {
        ParsedInventory inventory = ini("h1 ansible_host=203.0.113.1 ansible_ssh_pass=hunter2\n");

        assertThat(messages(inventory.warnings())).containsExactly("line 1, column 29: variable 'ansible_ssh_pass' "
                + "is not used by PoP Fleet and is ignored (PoP Fleet never reads secrets from inventory files: set "
                + "popfleet_credential to the name of a credential the controller holds)");
    }

    @Test
    void refusesCyclicChildrenNamingTheCycleAndLine() {
        List<ImportProblem> problems = iniProblems("""
                [a:children]
                b
                [b:children]
                c
                [c:children]
                a
                [c]
                h1 ansible_host=203.0.113.1
                """);

        assertThat(messages(problems)).containsExactly("line 6, column 1: cyclic [c:children]: a -> b -> c -> a");
    }

    @Test
    void refusesAGroupThatIsItsOwnChild() {
        assertThat(messages(iniProblems("[a:children]\na\n")))
                .containsExactly("line 2, column 1: cyclic [a:children]: a -> a");
    }

    @Test
    void refusesMalformedIniWithLineAndColumn() {
        List<ImportProblem> problems = iniProblems("""
                [good]
                h1 ansible_host=203.0.113.1
                [broken]x
                [g:hosts]
                h2 ansible_host="203.0.113.2
                h3 stray
                [g:vars]
                no-equals-here
                [g:host]
                """);

        assertThat(messages(problems)).containsExactly(
                "line 3, column 1: host range [broken] in '[broken]x' must be [begin:end] or [begin:end:step]",
                "line 5, column 17: unclosed double quote",
                "line 6, column 4: expected key=value after the host name, found 'stray'",
                "line 8, column 1: expected key=value in [g:vars], found 'no-equals-here'",
                "line 9, column 1: section [g:host] has an unknown type ':host' (expected :vars, :children or "
                        + ":hosts)");
        assertThat(messages(iniProblems("[g]\n[bad group]\nh1\n"))).containsExactly("line 2, column 1: malformed "
                + "section header '[bad group]' (expected [group], [group:vars] or [group:children], without "
                + "spaces; a comment after it starts with #)");
        assertThat(messages(iniProblems("h2 ansible_host=\"203.0.113.2\nh3 ansible_host=203.0.113.3 stray\n")))
                .containsExactly("line 1, column 17: unclosed double quote",
                        "line 2, column 29: expected key=value after the host name, found 'stray'");
    }

    @Test
    void readsCommentsQuotesAndCrlf() throws Exception {
        ParsedInventory inventory = ini("; semicolon comment\r\n# hash comment\r\n[g]\r\n"
                + "h1 ansible_host=203.0.113.1 popfleet_notes='a # not a comment' # a comment\r\n"
                + "[g:vars]\r\npopfleet_region = \"eu-west\"\r\n");

        assertThat(node(inventory, "h1")).extracting(NodeSpec::notes, NodeSpec::region)
                .containsExactly("a # not a comment", "eu-west");
    }

    @Test
    void readsGroupDescriptionsAndEmptyGroups() throws Exception {
        ParsedInventory inventory = ini("""
                [empty]
                [eu:vars]
                popfleet_description="Europe, all of it"
                [eu]
                h1 ansible_host=203.0.113.1
                """);

        assertThat(inventory.groups()).containsEntry("eu", "Europe, all of it").containsEntry("empty", null)
                .hasSize(2);
    }

    @Test
    void refusesAnOverlongGroupDescription() {
        assertThat(messages(iniProblems("[eu]\n[eu:vars]\npopfleet_description=" + "x".repeat(501) + "\n")))
                .containsExactly("line 3, column 22: description of group 'eu' is 501 characters; the limit "
                        + "is 500");
    }

    @Test
    void reportsFieldErrorsOnceAtTheVariableThatSetThem() {
        List<ImportProblem> problems = iniProblems("""
                [g:vars]
                ansible_port=70000
                [g]
                h1 ansible_host=203.0.113.1
                h2 ansible_host=203.0.113.2 ansible_user=Root
                """);

        assertThat(messages(problems)).containsExactly(
                "line 2, column 14: port 70000 is out of range (1-65535)",
                "line 5, column 42: SSH user 'Root' does not match ^[a-z_][a-z0-9_-]{0,31}$ (lower-case letters, "
                        + "digits, '_' and '-', starting with a letter or '_')");
    }
}
