package io.popfleet.inventory.importing;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.popfleet.inventory.importing.Inventories.ini;
import static io.popfleet.inventory.importing.Inventories.iniProblems;
import static io.popfleet.inventory.importing.Inventories.messages;
import static io.popfleet.inventory.importing.Inventories.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The INI behaviours issue 17 found different from ansible-core 2.14, pinned without Ansible installed (the
 * {@link AnsibleDifferentialTest} checks the same files against ansible-inventory where it is).
 */
class AnsibleFidelityTest {

    @Test
    void acceptsUnderscoreUtf8AndIpv6HostsWithBracketedPorts() throws Exception {
        ParsedInventory inventory = ini("""
                [lab]
                rtp_a
                _leading
                münchen.example
                2001:db8::1
                [2001:db8::2]:2222
                fe80::1:22
                """);

        assertThat(inventory.nodes()).extracting(NodeSpec::name, NodeSpec::host, NodeSpec::sshPort).containsExactly(
                tuple("rtp_a", "rtp_a", 22), tuple("_leading", "_leading", 22),
                tuple("münchen.example", "münchen.example", 22), tuple("2001:db8::1", "2001:db8::1", 22),
                tuple("2001:db8::2", "2001:db8::2", 2222), tuple("fe80::1:22", "fe80::1:22", 22));
    }

    @Test
    void expandsLeadingRangesAndAlphabeticRangesAcrossCaseAsAnsibleDoes() throws Exception {
        ParsedInventory inventory = ini("""
                [lead]
                [1:2].lead.example
                h[y:B]
                10.0.0.[1:2]:2200
                """);

        assertThat(inventory.nodes()).extracting(NodeSpec::name).containsExactly("1.lead.example", "2.lead.example",
                "hy", "hz", "hA", "hB", "10.0.0.1", "10.0.0.2");
        assertThat(node(inventory, "10.0.0.2").sshPort()).isEqualTo(2200);
        assertThat(inventory.groups()).containsOnlyKeys("lead");
    }

    @Test
    void legacySshVariablesWinOverTheNewNamesWhereverEachIsSet() throws Exception {
        ParsedInventory inventory = ini("""
                [g]
                h1 ansible_host=192.0.2.1 ansible_user=hostuser ansible_port=2201
                h2 ansible_ssh_host=192.0.2.2 ansible_host=192.0.2.3
                [g:vars]
                ansible_ssh_user=groupuser
                ansible_ssh_port=2400
                """);

        assertThat(inventory.nodes()).extracting(NodeSpec::name, NodeSpec::host, NodeSpec::sshPort, NodeSpec::sshUser)
                .containsExactly(tuple("h1", "192.0.2.1", 2400, "groupuser"), tuple("h2", "192.0.2.2", 2400,
                        "groupuser"));
    }

    @Test
    void readsAnsibleValuesAsPythonLiteralsAndKeepsPopfleetTextAsWritten() throws Exception {
        // h2's own None overrides the group's user and, as in Ansible, leaves the user unset: the default applies.
        ParsedInventory inventory = ini("""
                [g]
                h1 ansible_port=0x8ae popfleet_notes=None
                h2 ansible_port=2222 ansible_user=None
                [g:vars]
                ansible_user='deploy' # the deploy user
                """);

        assertThat(inventory.nodes()).extracting(NodeSpec::sshPort, NodeSpec::sshUser, NodeSpec::notes)
                .containsExactly(tuple(2222, "deploy", "None"), tuple(2222, NodeSpec.DEFAULT_SSH_USER, null));
    }

    @Test
    void refusesJinjaAsNotEvaluatedAtTheHostsLine() {
        List<String> problems = messages(iniProblems("""
                [g]
                h1 ansible_host="{{ lookup('env', 'H1') }}"
                web{{ n }}x
                [g:vars]
                ansible_user={{ deploy_user }}
                """));

        assertThat(problems).containsExactly(
                "line 2, column 17: 'ansible_host' of host 'h1' is a Jinja template: PoP Fleet does not evaluate "
                        + "Jinja templates ({{ }}, {% %}); write the value itself",
                "line 3, column 1: host 'web{{' is a Jinja template: PoP Fleet does not evaluate Jinja templates "
                        + "({{ }}, {% %}); write the value itself",
                "line 5, column 14: 'ansible_user' of group 'g' is a Jinja template: PoP Fleet does not evaluate "
                        + "Jinja templates ({{ }}, {% %}); write the value itself");
    }

    @Test
    void refusesChildrenAndVarsNamingUndeclaredGroupsOrHostsWithTheirLines() {
        List<String> problems = messages(iniProblems("""
                [web]
                web1
                [all_web:children]
                web1
                nosuch
                [ghost:vars]
                x=1
                [later:children]
                declared_below
                [declared_below]
                d1
                """));

        assertThat(problems).containsExactly(
                "line 4, column 1: 'web1' in a :children section is a host, not a group: list hosts in [group] "
                        + "sections",
                "line 5, column 1: 'nosuch' in a :children section is not a group: declare it with [nosuch] or "
                        + "[nosuch:children]",
                "line 6, column 1: [ghost:vars] is for group 'ghost', which no [ghost] or [ghost:children] section "
                        + "declares");
    }

    @Test
    void refusesAHostNamedLikeAGroupWhichAnsibleOnlyWarnsAbout() {
        assertThat(messages(iniProblems("[web]\nweb\n"))).containsExactly("line 2, column 1: host 'web' has the "
                + "name of a group; Ansible warns that a pattern naming it is ambiguous: rename one");
    }

    @Test
    void reportsADuplicateNameEvenWhenTheNodeHasOtherMistakes() {
        assertThat(messages(iniProblems("[g]\nweb1\nWEB1 ansible_port=70000\n"))).containsExactly(
                "line 3, column 1: duplicate node name 'WEB1': already used on line 2, column 1",
                "line 3, column 19: port 70000 is out of range (1-65535)");
    }

    @Test
    void refusesAPortOnALaterLineWhichAnsibleSilentlyIgnores() {
        assertThat(messages(iniProblems("[a]\nh1:2200\n[b]\nh1:2300\n"))).containsExactly("line 4, column 1: host "
                + "'h1' is already listed on line 2, column 1; give its port there (Ansible ignores ':2300' on a "
                + "later line)");
    }
}
