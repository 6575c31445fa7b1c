package io.popfleet.inventory.importing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns parsed node drafts into {@link NodeSpec}s, shared by every format: applies the built-in defaults, checks
 * each field with {@link NodeRules}, and refuses duplicate names and duplicate host:port pairs across the file.
 * Every problem goes to the collector, so one pass reports them all.
 */
public final class NodeSpecValidator {

    private final Problems problems;
    /** Problems this validator reported; tells whether one draft added any (the shared list dedupes). */
    private int problemCount;

    NodeSpecValidator(Problems problems) {
        this.problems = problems;
    }

    /** Checks a node built elsewhere (the REST API); the messages name fields, not lines. */
    public static List<String> problemsOf(NodeSpec spec) {
        List<String> found = new ArrayList<>();
        NodeRules.name(nullToEmpty(spec.name())).ifPresent(found::add);
        NodeRules.host(nullToEmpty(spec.host())).ifPresent(found::add);
        NodeRules.port(spec.sshPort()).ifPresent(found::add);
        NodeRules.sshUser(nullToEmpty(spec.sshUser())).ifPresent(found::add);
        optional(spec.credentialRef()).flatMap(NodeRules::credential).ifPresent(found::add);
        optional(spec.region()).flatMap(NodeRules::region).ifPresent(found::add);
        optional(spec.walletAddress()).flatMap(NodeRules::wallet).ifPresent(found::add);
        optional(spec.notes()).flatMap(NodeRules::notes).ifPresent(found::add);
        optional(spec.jump()).flatMap(NodeRules::jump).ifPresent(found::add);
        optional(spec.nodeTool()).flatMap(NodeRules::nodeTool).ifPresent(found::add);
        optional(spec.nodeToolPath()).flatMap(NodeRules::nodeToolPath).ifPresent(found::add);
        if (spec.jump() != null && spec.jump().equalsIgnoreCase(nullToEmpty(spec.name()))) {
            found.add("node " + spec.name() + " cannot be its own jump host");
        }
        spec.groups().forEach(g -> NodeRules.group(g).ifPresent(found::add));
        spec.tags().forEach((k, v) -> {
            NodeRules.tagKey(k).ifPresent(found::add);
            if (v != null) {
                NodeRules.tagValue(k, v).ifPresent(found::add);
            }
        });
        return found;
    }

    /** Validates every draft and the file-wide uniqueness rules; returns the specs of the drafts that passed. */
    List<NodeSpec> validateAll(List<NodeDraft> drafts) {
        List<NodeSpec> specs = new ArrayList<>(drafts.size());
        Map<String, NodeDraft> byName = new HashMap<>();
        Map<String, NodeSpec> byEndpoint = new HashMap<>();
        for (NodeDraft draft : drafts) {
            // Checked before the fields, so a duplicate is reported even when the node has other mistakes too.
            // Names compare without case: pop-01 and POP-01 on one fleet page is a mistake, not two nodes.
            Located name = draft.get(NodeField.NAME);
            NodeDraft sameName = name == null || name.value() == null ? null
                    : byName.putIfAbsent(name.value().toLowerCase(Locale.ROOT), draft);
            NodeSpec spec = toSpec(draft);
            if (sameName != null) {
                problems.add(name.position(), "duplicate node name '" + name.value() + "': already used on "
                        + sameName.position());
                continue;
            }
            if (spec == null) {
                continue;
            }
            String endpoint = HostAddress.canonical(spec.host()) + ":" + spec.sshPort();
            NodeSpec sameEndpoint = byEndpoint.putIfAbsent(endpoint, spec);
            if (sameEndpoint != null) {
                problems.add(draft.get(NodeField.HOST).position(), "duplicate host:port " + spec.host() + ":"
                        + spec.sshPort() + ": node '" + spec.name() + "' and node '" + sameEndpoint.name()
                        + "' on " + sameEndpoint.position() + " would be the same machine");
                continue;
            }
            specs.add(spec);
        }
        return jumpsResolved(specs, drafts);
    }

    /**
     * Every jump host names an entry of the same file that is reached directly: the bastion's own key is pinned
     * like any node's, and one hop is what the SSH engine opens.
     */
    private List<NodeSpec> jumpsResolved(List<NodeSpec> specs, List<NodeDraft> drafts) {
        Map<String, NodeSpec> byName = new HashMap<>();
        specs.forEach(spec -> byName.put(spec.name().toLowerCase(Locale.ROOT), spec));
        Map<String, NodeDraft> draftByName = new HashMap<>();
        for (NodeDraft draft : drafts) {
            Located name = draft.get(NodeField.NAME);
            if (name != null && name.value() != null) {
                draftByName.putIfAbsent(name.value().toLowerCase(Locale.ROOT), draft);
            }
        }
        List<NodeSpec> resolved = new ArrayList<>(specs.size());
        for (NodeSpec spec : specs) {
            if (spec.jump() == null) {
                resolved.add(spec);
                continue;
            }
            SourcePosition at = draftByName.get(spec.name().toLowerCase(Locale.ROOT)).get(NodeField.JUMP).position();
            NodeSpec bastion = byName.get(spec.jump().toLowerCase(Locale.ROOT));
            if (spec.jump().equalsIgnoreCase(spec.name())) {
                problems.add(at, "node '" + spec.name() + "' cannot be its own jump host");
            } else if (bastion == null) {
                problems.add(at, "jump host '" + spec.jump() + "' of node '" + spec.name() + "' is not a node of"
                        + " this inventory: add the bastion as an entry (enabled: false keeps runs off it) so its"
                        + " host key can be pinned");
            } else if (bastion.jump() != null) {
                problems.add(at, "jump host '" + spec.jump() + "' of node '" + spec.name() + "' is itself reached"
                        + " through '" + bastion.jump() + "': one hop is supported");
            } else {
                resolved.add(spec);
            }
        }
        return resolved;
    }

    /** The spec for one draft, or {@code null} after reporting why it is not valid. */
    NodeSpec toSpec(NodeDraft draft) {
        int before = problemCount;
        String name = required(draft, NodeField.NAME, NodeRules::name);
        String host = required(draft, NodeField.HOST, NodeRules::host);
        String portText = check(draft, NodeField.PORT, NodeRules::port);
        String user = check(draft, NodeField.USER, NodeRules::sshUser);
        String credential = check(draft, NodeField.CREDENTIAL, NodeRules::credential);
        String enabledText = check(draft, NodeField.ENABLED,
                v -> NodeRules.bool(v) == null
                        ? Optional.of("enabled '" + v + "' is not a boolean (true or false)") : Optional.empty());
        String region = check(draft, NodeField.REGION, NodeRules::region);
        String wallet = check(draft, NodeField.WALLET, NodeRules::wallet);
        String notes = check(draft, NodeField.NOTES, NodeRules::notes);
        String jump = check(draft, NodeField.JUMP, NodeRules::jump);
        String nodeTool = check(draft, NodeField.NODE_TOOL, NodeRules::nodeTool);
        String nodeToolPath = check(draft, NodeField.NODE_TOOL_PATH, NodeRules::nodeToolPath);
        SortedMap<String, String> tags = tags(draft);
        if (draft.groups().size() > InventoryLimits.MAX_GROUPS_PER_NODE) {
            report(draft.position(), "node is in " + draft.groups().size() + " groups; the limit is "
                    + InventoryLimits.MAX_GROUPS_PER_NODE);
        }
        if (problemCount != before) {
            return null;
        }
        return new NodeSpec(name, host,
                portText == null ? NodeSpec.DEFAULT_SSH_PORT : Integer.parseInt(portText),
                user == null ? NodeSpec.DEFAULT_SSH_USER : user,
                credential,
                enabledText == null || NodeRules.bool(enabledText),
                region, wallet, notes, jump, nodeTool == null ? null : nodeTool.strip().toLowerCase(Locale.ROOT),
                nodeToolPath, draft.groups(), Collections.unmodifiableSortedMap(tags),
                draft.position());
    }

    private void report(SourcePosition position, String message) {
        problemCount++;
        problems.add(position, message);
    }

    private String required(NodeDraft draft, NodeField field, Rule rule) {
        Located value = draft.get(field);
        if (value == null || value.value() == null || value.value().isEmpty()) {
            report(value == null ? draft.position() : value.position(), "node has no " + field.label);
            return null;
        }
        return check(draft, field, rule);
    }

    /** The field's text when present and valid; {@code null} when absent (the default applies) or invalid. */
    private String check(NodeDraft draft, NodeField field, Rule rule) {
        Located value = draft.get(field);
        if (value == null || value.value() == null) {
            return null;
        }
        Optional<String> problem = rule.check(value.value());
        if (problem.isPresent()) {
            report(value.position(), problem.get());
            return null;
        }
        return value.value();
    }

    private SortedMap<String, String> tags(NodeDraft draft) {
        SortedMap<String, String> tags = new TreeMap<>();
        if (draft.tags().size() > InventoryLimits.MAX_TAGS_PER_NODE) {
            report(draft.position(), "node has " + draft.tags().size() + " tags; the limit is "
                    + InventoryLimits.MAX_TAGS_PER_NODE);
            return tags;
        }
        for (Located tag : draft.tags()) {
            int eq = tag.value().indexOf('=');
            String key = eq < 0 ? tag.value() : tag.value().substring(0, eq);
            String value = eq < 0 ? null : tag.value().substring(eq + 1);
            Optional<String> problem = NodeRules.tagKey(key);
            if (problem.isEmpty() && value != null) {
                problem = NodeRules.tagValue(key, value);
            }
            if (problem.isEmpty() && tags.containsKey(key)) {
                problem = Optional.of("tag '" + key + "' is given twice");
            }
            if (problem.isPresent()) {
                report(tag.position(), problem.get());
            } else {
                tags.put(key, value);
            }
        }
        return tags;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static Optional<String> optional(String s) {
        return Optional.ofNullable(s);
    }

    @FunctionalInterface
    private interface Rule {
        Optional<String> check(String value);
    }
}
