package io.popfleet.inventory;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.ConflictProblem;
import io.popfleet.inventory.importing.InventoryFormat;
import io.popfleet.inventory.importing.InventoryRejectedException;
import io.popfleet.inventory.importing.NodeSpec;
import io.popfleet.inventory.importing.ParsedInventory;
import io.popfleet.security.AuditLog;
import io.popfleet.ssh.CredentialService;

/**
 * Imports inventory files: a preview that writes nothing, and an apply that carries out the same plan in one
 * transaction. A refused file changes nothing; the refusal itself is audited.
 */
@ApplicationScoped
public class ImportService {

    private static final int AUDIT_NAME_LIMIT = 1000;

    @Inject
    InventoryFiles files;

    @Inject
    AuditLog audit;

    @Inject
    EntityManager em;

    @Inject
    CredentialService credentials;

    @Transactional(Transactional.TxType.SUPPORTS)
    public ImportPlan preview(byte[] content, String fileName, InventoryFormat format, boolean prune,
            String actor) throws InventoryRejectedException {
        ParsedInventory parsed = parseOrAudit(content, fileName, format, actor, "inventory.preview");
        return planAgainstStore(parsed, prune);
    }

    @Transactional(rollbackOn = InventoryRejectedException.class)
    public ImportResult apply(byte[] content, String fileName, InventoryFormat format, boolean prune,
            String expectedFingerprint, String actor) throws InventoryRejectedException {
        ParsedInventory parsed = parseOrAudit(content, fileName, format, actor, "inventory.import");
        // Serialise imports: two concurrent applies would each plan against a state the other is changing.
        em.createNativeQuery("select pg_advisory_xact_lock(4242001)").getSingleResult();
        ImportPlan plan = planAgainstStore(parsed, prune);
        if (expectedFingerprint != null && !expectedFingerprint.isBlank()
                && !expectedFingerprint.equals(plan.fingerprint())) {
            throw new ConflictProblem("import-plan-changed", "the inventory changed since the preview; preview the"
                    + " file again before applying it");
        }
        carryOut(plan);
        JumpHosts.refuseBroken(em);
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", fileName == null ? "" : fileName);
        details.put("format", plan.format().name());
        details.put("prune", prune);
        details.put("added", capped(plan.add().stream().map(NodeSpec::name).toList()));
        details.put("changed", capped(plan.change().stream().map(ImportPlan.NodeChange::name).toList()));
        details.put("removed", capped(plan.remove()));
        details.put("counts", Map.of("added", plan.add().size(), "changed", plan.change().size(),
                "removed", plan.remove().size(), "unchanged", plan.unchanged()));
        long auditId = audit.record(actor, "inventory.import", fileName, AuditLog.OK, details).id;
        return new ImportResult(plan, plan.add().size(), plan.change().size(), plan.remove().size(), auditId);
    }

    private ParsedInventory parseOrAudit(byte[] content, String fileName, InventoryFormat format, String actor,
            String action) throws InventoryRejectedException {
        try {
            return files.parse(content, fileName, format);
        } catch (InventoryRejectedException e) {
            if (action.equals("inventory.import")) {
                audit.recordAlone(actor, action, fileName, AuditLog.REFUSED, Map.of(
                        "problems", e.problems().stream().limit(20).map(Object::toString).toList(),
                        "problemCount", e.problems().size()));
            }
            throw e;
        }
    }

    private ImportPlan planAgainstStore(ParsedInventory parsed, boolean prune) throws InventoryRejectedException {
        List<Node> stored = Node.listAll();
        Set<String> groups = NodeGroup.<NodeGroup>listAll().stream().map(g -> g.name).collect(Collectors.toSet());
        Set<String> credentialsHeld = parsed.nodes().stream().map(NodeSpec::credentialRef).filter(Objects::nonNull)
                .distinct().filter(name -> credentials.find(name).isPresent()).collect(Collectors.toSet());
        return ImportPlanner.plan(parsed, stored, groups, credentialsHeld, prune);
    }

    private void carryOut(ImportPlan plan) {
        NodeService.GroupResolver groups = NodeService.groupResolver();
        plan.newGroups().forEach(groups::resolve);
        Map<String, Node> byName = new HashMap<>();
        if (!plan.change().isEmpty() || !plan.remove().isEmpty()) {
            Node.<Node>listAll().forEach(node -> byName.put(node.name, node));
        }
        for (String name : plan.remove()) {
            byName.get(name).delete();
        }
        for (ImportPlan.NodeChange change : plan.change()) {
            NodeService.apply(change.spec(), byName.get(change.name()), groups);
        }
        int batch = 0;
        for (NodeSpec spec : plan.add()) {
            Node node = new Node();
            NodeService.apply(spec, node, groups);
            node.persist();
            if (++batch % 500 == 0) {
                // Keeps dirty checking and memory flat: each flush only looks at the last 500 nodes.
                em.flush();
                em.clear();
            }
        }
    }

    private static List<String> capped(List<String> names) {
        return names.size() <= AUDIT_NAME_LIMIT ? names : names.subList(0, AUDIT_NAME_LIMIT);
    }
}
