package io.popfleet.inventory.importing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Resolves an {@link IniDocument} as Ansible would: a host belongs to its groups and all their ancestors; its
 * variables are {@code [all:vars]}, then each group's vars from the shallowest to the deepest group (same depth:
 * alphabetical, the later name wins), then the host's own vars.
 */
final class IniResolver {

    private final IniDocument document;
    private final Problems errors;
    private final Map<String, List<String>> parents = new HashMap<>();
    private final Map<String, Integer> depths = new HashMap<>();
    private boolean cyclic;

    IniResolver(IniDocument document, Problems errors) {
        this.document = document;
        this.errors = errors;
        for (IniDocument.Group group : document.groups.values()) {
            for (Located child : group.children) {
                parents.computeIfAbsent(child.value(), c -> new ArrayList<>()).add(group.name);
            }
        }
        findCycles();
    }

    /** Declared groups (not Ansible's implicit ones) with the description their vars give, if any. */
    SortedMap<String, String> groupDescriptions() {
        SortedMap<String, String> descriptions = new TreeMap<>();
        document.groups.values().stream().filter(g -> !IniDocument.isImplicit(g.name)).forEach(g -> {
            Located description = g.vars.get(IniVariables.DESCRIPTION);
            descriptions.put(g.name, description == null ? null : description.value());
            if (description != null && description.value() != null) {
                NodeRules.groupDescription(g.name, description.value())
                        .ifPresent(p -> errors.add(description.position(), p));
            }
        });
        return descriptions;
    }

    List<NodeDraft> drafts() {
        if (cyclic) {
            return List.of(); // depths and ancestors are undefined; the cycle is the error to fix first
        }
        Map<String, List<String>> cache = new HashMap<>();
        List<NodeDraft> drafts = new ArrayList<>(document.hosts.size());
        for (IniDocument.Host host : document.hosts.values()) {
            Set<String> memberships = new TreeSet<>();
            for (String group : host.groups) {
                memberships.add(group);
                memberships.addAll(cache.computeIfAbsent(group, this::ancestors));
            }
            Map<String, Located> vars = new LinkedHashMap<>(varsOf(IniDocument.ALL));
            if (memberships.isEmpty()) {
                vars.putAll(varsOf(IniDocument.UNGROUPED));
            }
            memberships.stream()
                    .sorted(Comparator.comparingInt(this::depth).thenComparing(Comparator.naturalOrder()))
                    .forEach(group -> vars.putAll(varsOf(group)));
            vars.putAll(host.vars);
            drafts.add(draft(host, memberships, vars));
        }
        return drafts;
    }

    private static NodeDraft draft(IniDocument.Host host, Set<String> groups, Map<String, Located> vars) {
        NodeDraft draft = new NodeDraft(host.position);
        draft.set(NodeField.NAME, new Located(host.name, host.position));
        draft.set(NodeField.HOST, new Located(host.name, host.position)); // Ansible connects to the name by default
        vars.forEach((key, value) -> {
            NodeField field = IniVariables.FIELDS.get(key);
            if (field != null && value.value() != null && !IniVariables.LEGACY.containsKey(key)) {
                draft.set(field, value);
            }
        });
        // As Ansible's connection plugins read them: once every level is merged, ansible_ssh_host (port, user)
        // wins over ansible_host wherever each was set.
        IniVariables.LEGACY.forEach((legacy, field) -> {
            Located value = vars.get(legacy);
            if (value != null && value.value() != null) {
                draft.set(field, value);
            }
        });
        groups.forEach(draft::addGroup);
        Located tags = vars.get(IniVariables.TAGS);
        if (tags != null && tags.value() != null) {
            List<Located> list = new ArrayList<>();
            for (String tag : tags.value().split(",")) {
                if (!tag.isBlank()) {
                    list.add(new Located(tag.strip(), tags.position()));
                }
            }
            draft.setTags(list);
        }
        return draft;
    }

    private Map<String, Located> varsOf(String group) {
        IniDocument.Group g = document.groups.get(group);
        return g == null ? Map.of() : g.vars;
    }

    private List<String> ancestors(String group) {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(parents.getOrDefault(group, List.of()));
        while (!todo.isEmpty()) {
            String parent = todo.pop();
            if (seen.add(parent)) {
                todo.addAll(parents.getOrDefault(parent, List.of()));
            }
        }
        return List.copyOf(seen);
    }

    /** Ansible's depth: a top-level group is 1, a child one deeper than its deepest parent. */
    private int depth(String group) {
        Integer known = depths.get(group);
        if (known != null) {
            return known;
        }
        int depth = 1;
        for (String parent : parents.getOrDefault(group, List.of())) {
            depth = Math.max(depth, depth(parent) + 1);
        }
        depths.put(group, depth);
        return depth;
    }

    /** Depth-first search over :children edges; each edge that closes a loop is reported with the loop. */
    private void findCycles() {
        Map<String, Integer> state = new HashMap<>(); // 1: on the current path, 2: done
        for (String start : document.groups.keySet()) {
            if (!state.containsKey(start)) {
                visit(start, new ArrayList<>(), state);
            }
        }
    }

    private void visit(String group, List<String> path, Map<String, Integer> state) {
        state.put(group, 1);
        path.add(group);
        IniDocument.Group g = document.groups.get(group);
        for (Located child : g == null ? List.<Located>of() : g.children) {
            Integer childState = state.get(child.value());
            if (childState == null) {
                visit(child.value(), path, state);
            } else if (childState == 1) {
                List<String> loop = new ArrayList<>(path.subList(path.indexOf(child.value()), path.size()));
                loop.add(child.value());
                errors.add(child.position(), "cyclic [" + group + ":children]: " + String.join(" -> ", loop));
                cyclic = true;
            }
        }
        path.remove(path.size() - 1);
        state.put(group, 2);
    }
}
