package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What an INI inventory says, line by line, before groups are resolved: hosts, groups, their vars and edges. */
final class IniDocument {

    static final String ALL = "all";
    static final String UNGROUPED = "ungrouped";

    /** A host as first seen, its vars merged in file order (later wins, as in Ansible), its direct groups. */
    static final class Host {
        final String name;
        final SourcePosition position;
        final Map<String, Located> vars = new LinkedHashMap<>();
        final Set<String> groups = new LinkedHashSet<>();

        Host(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    /** A group as declared by a section header or a :children line. */
    static final class Group {
        final String name;
        final SourcePosition position;
        final Map<String, Located> vars = new LinkedHashMap<>();
        final List<Located> children = new ArrayList<>();

        Group(String name, SourcePosition position) {
            this.name = name;
            this.position = position;
        }
    }

    final Map<String, Host> hosts = new LinkedHashMap<>();
    final Map<String, Group> groups = new LinkedHashMap<>();
    /** Groups a {@code [g]} or {@code [g:children]} header declares; Ansible needs one for every group named. */
    final Set<String> declared = new LinkedHashSet<>(List.of(ALL, UNGROUPED));
    /** Every {@code [g:vars]} header and {@code :children} line, to check at the end that its group is declared. */
    final List<Located> varsHeaders = new ArrayList<>();
    final List<Located> childLines = new ArrayList<>();

    Host host(String name, SourcePosition position) {
        return hosts.computeIfAbsent(name, n -> new Host(n, position));
    }

    Group group(String name, SourcePosition position) {
        return groups.computeIfAbsent(name, n -> new Group(n, position));
    }

    static boolean isImplicit(String group) {
        return group.equals(ALL) || group.equals(UNGROUPED);
    }
}
