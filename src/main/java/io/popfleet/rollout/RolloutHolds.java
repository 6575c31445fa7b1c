package io.popfleet.rollout;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.popfleet.database.SqlRow;
import io.popfleet.runs.NodeHolder;

/** A node an open rollout holds ({@code rollout_node.holds}) takes no mutating run but the rollout's own. */
@ApplicationScoped
public class RolloutHolds implements NodeHolder {

    @Inject
    EntityManager em;

    @Override
    public Map<Long, Hold> holds(Collection<Long> nodeIds) {
        Map<Long, Hold> holds = new HashMap<>();
        SqlRow.list(SqlRow.query(em, "select rn.node_id, r.id, r.target_version, r.state from rollout_node rn"
                + " join rollout r on r.id = rn.rollout_id where rn.holds and rn.node_id in (:nodes)")
                .setParameter("nodes", new ArrayList<>(nodeIds))).forEach(row -> holds.put(row.whole("node_id"),
                        new Hold(RolloutEngine.actor(row.whole("id")), "rollout " + row.whole("id") + " ("
                                + row.text("target_version") + ", " + row.text("state") + ")")));
        return holds;
    }
}
