package io.popfleet.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.popfleet.inventory.importing.ImportProblem;
import io.popfleet.inventory.importing.NodeSpec;

/** The inventory's rules for one node, the same for the API, the pages and imported files. */
final class NodeRules {

    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");
    private static final Pattern USER = Pattern.compile("^[a-z_][a-z0-9_-]{0,31}$");
    private static final Pattern HOST = Pattern.compile(
            "^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$");

    private NodeRules() {
    }

    static List<ImportProblem> check(NodeSpec spec) {
        List<ImportProblem> problems = new ArrayList<>();
        if (!NAME.matcher(spec.name()).matches()) {
            problems.add(ImportProblem.ofFile("name '" + spec.name() + "' is not a valid node name"));
        }
        if (!HOST.matcher(spec.host()).matches()) {
            problems.add(ImportProblem.ofFile("host '" + spec.host() + "' is not a valid hostname or IP address"));
        }
        if (!USER.matcher(spec.sshUser()).matches()) {
            problems.add(ImportProblem.ofFile("SSH user '" + spec.sshUser() + "' must match " + USER.pattern()));
        }
        return problems;
    }
}
