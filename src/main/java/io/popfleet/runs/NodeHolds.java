package io.popfleet.runs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.ApiProblem;
import io.popfleet.api.ConflictProblem;
import io.popfleet.database.SqlRow;

/**
 * The guard that keeps mutating runs off nodes another feature holds ({@link NodeHolder}): checked when a run is
 * planned (409, nothing stored) and again when its targets are claimed, since a node may be taken between the two.
 */
@ApplicationScoped
public class NodeHolds {

    private static final int CHUNK = 10_000;

    @Inject
    Instance<NodeHolder> holders;

    @Inject
    EntityManager em;

    /** Refuses a mutating run (already inserted, in this transaction) if any of its nodes is held by another. */
    @Transactional(Transactional.TxType.MANDATORY)
    void refuseHeld(long runId, String operation, String actor) {
        if (holders.isUnsatisfied()) {
            return;
        }
        Map<Long, String> names = new HashMap<>();
        SqlRow.list(SqlRow.query(em, "select node_id, node_name from run_target where run_id = :run")
                .setParameter("run", runId)).forEach(row -> names.put(row.whole("node_id"), row.text("node_name")));
        Map<String, List<String>> byHolder = new TreeMap<>();
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        held(names.keySet()).forEach((node, hold) -> {
            if (!hold.actor().equals(actor)) {
                byHolder.computeIfAbsent(hold.holder(), key -> new ArrayList<>()).add(names.get(node));
                errors.add(new ApiProblem.FieldError(names.get(node), null, null, "held by " + hold.holder()));
            }
        });
        if (byHolder.isEmpty()) {
            return;
        }
        List<String> parts = new ArrayList<>();
        byHolder.forEach((holder, nodes) -> parts.add(nodes.size() + " node(s) held by " + holder + " ("
                + String.join(", ", nodes.stream().sorted().limit(5).toList()) + (nodes.size() > 5 ? ", ..." : "")
                + ")"));
        throw new ConflictProblem("node-in-rollout", operation + " changes nodes, and " + String.join("; ", parts)
                + "; no other change may run on them until it ends or is aborted. Nothing was started", errors);
    }

    /**
     * The mutating targets among these whose node is held by someone other than their run's starter, each with the
     * refusal to store.
     */
    @Transactional
    Map<Long, String> refusedAtClaim(List<ClaimedTarget> claimed) {
        List<ClaimedTarget> mutating = claimed.stream().filter(ClaimedTarget::mutating)
                .filter(target -> target.nodeId() != null).toList();
        if (mutating.isEmpty() || holders.isUnsatisfied()) {
            return Map.of();
        }
        Map<Long, NodeHolder.Hold> held = held(mutating.stream().map(ClaimedTarget::nodeId).distinct().toList());
        if (held.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> starters = new HashMap<>();
        SqlRow.list(SqlRow.query(em, "select id, started_by from run where id in (:ids)").setParameter("ids",
                mutating.stream().map(ClaimedTarget::runId).distinct().toList()))
                .forEach(row -> starters.put(row.whole("id"), row.text("started_by")));
        Map<Long, String> refused = new LinkedHashMap<>();
        for (ClaimedTarget target : mutating) {
            NodeHolder.Hold hold = held.get(target.nodeId());
            if (hold != null && !hold.actor().equals(starters.get(target.runId()))) {
                refused.put(target.targetId(), "not sent: " + target.nodeName() + " is held by " + hold.holder()
                        + ", which took it after this run was planned; no other change may run on it until it"
                        + " ends or is aborted");
            }
        }
        return refused;
    }

    private Map<Long, NodeHolder.Hold> held(Collection<Long> nodes) {
        Map<Long, NodeHolder.Hold> held = new HashMap<>();
        List<Long> all = List.copyOf(nodes);
        // in chunks: a fleet-wide run lists every node, and one statement takes at most 65,535 parameters
        for (int from = 0; from < all.size(); from += CHUNK) {
            List<Long> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
            holders.forEach(holder -> held.putAll(holder.holds(chunk)));
        }
        return held;
    }
}
