package io.popfleet.inventory.importing;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every problem in a file's content names a line and a column; only whole-file problems (empty, binary) cannot. */
class ProblemPositionsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "version: 1\nnodes:\n  - name: a\n  host: b\n - c\n",
        "version: 1\nnodes:\n  - name: a\n    host: [unclosed\n",
        "version: 1\nnodes:\n\t- name: a\n",
        "version: 1\nnodes:\n  - name: \"a\n",
        "version: 1\nnodes:\n  - {name: a, host: 203.0.113.1}\n  - {name: a, host: 203.0.113.1}\n",
        "version: 1\ndefaults: {ssh_port: 0, ssh_user: X, enabled: perhaps}\nnodes:\n  - {name: a, host: h}\n",
        "version: 1\ngroups: {g: {vars: {region: 'a b'}}}\nnodes:\n  - {name: a, host: h, groups: [g, g, x]}\n",
        "version: 1\nnodes: {a: 1}\n",
        "- just\n- a list\n",
        "version: 1\nversion: 2\nnodes: []\n",
    })
    void everyYamlProblemHasALineAndColumn(String file) {
        assertPositioned(Inventories.yamlProblems(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[g\nh1\n",
        "[g:kids]\nh1\n",
        "[g]\nh1 ansible_host=203.0.113.1 junk\n",
        "[g]\nh1 ansible_host='unclosed\n",
        "[g:vars]\nno equals\n",
        "[a:children]\nb\n[b:children]\na\n",
        "[g:vars]\nansible_port=99999\n[g]\nh1\n",
        "h1 popfleet_wallet=abc popfleet_color=blue\n",
        "h1 ansible_host=203.0.113.1\nh2 ansible_host=203.0.113.1\n",
        "[bad group]\nh1\n",
        "[g:children]\nall\n",
        "h[1:a]\n",
        "h1 popfleet_description=x\n",
    })
    void everyIniProblemHasALineAndColumn(String file) {
        assertPositioned(Inventories.iniProblems(file));
    }

    private static void assertPositioned(List<ImportProblem> problems) {
        assertThat(problems).isNotEmpty().allSatisfy(problem -> {
            assertThat(problem.line()).as(problem.toString()).isPositive();
            assertThat(problem.column()).as(problem.toString()).isPositive();
        });
    }
}
