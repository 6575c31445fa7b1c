package io.popfleet.inventory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.popfleet.inventory.importing.ImportProblem;
import io.popfleet.inventory.importing.InventoryRejectedException;
import io.popfleet.inventory.importing.NodeSpec;
import io.popfleet.inventory.importing.ParsedInventory;

/**
 * Compares a parsed file with the stored inventory. Pure: it reads the nodes it is given and writes nothing, so
 * a preview and an apply compute the very same plan.
 */
final class ImportPlanner {

    private ImportPlanner() {
    }

    /**
     * @param knownCredentials the credentials the controller holds, of those the file names: a node whose
     *        credential is missing imports (the operator may add the key next), with a warning
     */
    static ImportPlan plan(ParsedInventory file, List<Node> stored, Set<String> storedGroups,
            Set<String> knownCredentials, boolean prune) throws InventoryRejectedException {
        if (prune && file.nodes().isEmpty() && !stored.isEmpty()) {
            throw new InventoryRejectedException(List.of(ImportProblem.ofFile("the file lists no nodes: importing "
                    + "it with prune would remove all " + stored.size() + " nodes; import without prune, or remove "
                    + "nodes on their pages")));
        }
        Map<String, Node> byName = new HashMap<>();
        stored.forEach(node -> byName.put(node.name, node));
        List<NodeSpec> add = new ArrayList<>();
        List<ImportPlan.NodeChange> change = new ArrayList<>();
        int unchanged = 0;
        Set<String> listed = new HashSet<>();
        for (NodeSpec spec : file.nodes()) {
            listed.add(spec.name());
            Node existing = byName.get(spec.name());
            if (existing == null) {
                add.add(spec);
                continue;
            }
            NodeDiff diff = NodeDiff.between(existing, spec);
            if (diff.isEmpty()) {
                unchanged++;
            } else {
                change.add(new ImportPlan.NodeChange(existing.id, existing.name, diff.changes(), spec));
            }
        }
        List<String> remove = prune
                ? stored.stream().map(node -> node.name).filter(name -> !listed.contains(name)).sorted().toList()
                : List.of();
        refuseEndpointClashes(file, stored, listed, prune);
        Set<String> groups = new java.util.TreeSet<>(file.groups().keySet());
        file.nodes().forEach(spec -> groups.addAll(spec.groups()));
        groups.removeAll(storedGroups);
        List<String> newGroups = List.copyOf(groups);
        List<ImportProblem> warnings = new ArrayList<>(missingCredentials(file, knownCredentials));
        warnings.addAll(file.warnings());
        return new ImportPlan(file.format(), prune, List.copyOf(add), List.copyOf(change), remove, unchanged,
                newGroups, List.copyOf(warnings), fingerprint(add, change, remove, newGroups));
    }

    /** One warning per credential the file names that the controller does not hold, at its first node. */
    private static List<ImportProblem> missingCredentials(ParsedInventory file, Set<String> known) {
        Map<String, List<NodeSpec>> users = new java.util.LinkedHashMap<>();
        for (NodeSpec spec : file.nodes()) {
            if (spec.credentialRef() != null && !known.contains(spec.credentialRef())) {
                users.computeIfAbsent(spec.credentialRef(), c -> new ArrayList<>()).add(spec);
            }
        }
        List<ImportProblem> warnings = new ArrayList<>();
        users.forEach((credential, nodes) -> warnings.add(ImportProblem.at(nodes.get(0).position(), "credential '"
                + credential + "' does not exist in the controller; runs on the " + nodes.size() + " node"
                + (nodes.size() == 1 ? "" : "s") + " that use it (" + nodes.get(0).name()
                + (nodes.size() > 1 ? ", …" : "") + ") fail until it is generated or imported under Credentials")));
        return warnings;
    }

    /**
     * The file is consistent in itself (the parser checked), but a node it adds or moves may land on the
     * host:port of a stored node it does not mention; that would fail at write time, so refuse it now.
     */
    private static void refuseEndpointClashes(ParsedInventory file, List<Node> stored, Set<String> listed,
            boolean prune) throws InventoryRejectedException {
        Map<String, String> keptEndpoints = new HashMap<>();
        for (Node node : stored) {
            if (!listed.contains(node.name) && !prune) {
                keptEndpoints.put(endpoint(node.host, node.sshPort), node.name);
            }
        }
        List<ImportProblem> problems = new ArrayList<>();
        for (NodeSpec spec : file.nodes()) {
            String owner = keptEndpoints.get(endpoint(spec.host(), spec.sshPort()));
            if (owner != null) {
                problems.add(ImportProblem.at(spec.position(), "node " + spec.name() + " uses " + spec.host() + ":"
                        + spec.sshPort() + ", which node " + owner
                        + " already uses in the inventory (it is not in this file)"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InventoryRejectedException(problems);
        }
    }

    private static String endpoint(String host, int port) {
        return host.toLowerCase(java.util.Locale.ROOT) + ":" + port;
    }

    private static String fingerprint(List<NodeSpec> add, List<ImportPlan.NodeChange> change, List<String> remove,
            List<String> newGroups) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (NodeSpec spec : add) {
                // Positions are left out: the same nodes moved within the file are the same plan.
                digest.update(("+" + spec.name() + "|" + spec.host() + "|" + spec.sshPort() + "|" + spec.sshUser()
                        + "|" + spec.credentialRef() + "|" + spec.enabled() + "|" + spec.region() + "|"
                        + spec.walletAddress() + "|" + spec.notes() + "|" + spec.jump() + "|" + spec.nodeTool() + "|"
                        + spec.nodeToolPath() + "|" + spec.groups() + "|" + spec.tags()
                        + "\n").getBytes(StandardCharsets.UTF_8));
            }
            for (ImportPlan.NodeChange c : change) {
                digest.update(("~" + c.id() + "|" + c.name() + "|" + c.fields() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            digest.update(("-" + remove + "\n#" + newGroups).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest()).substring(0, 32);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
