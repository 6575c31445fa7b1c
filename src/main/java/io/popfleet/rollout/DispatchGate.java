package io.popfleet.rollout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which waiting nodes of the current batch may start now, so that at every instant no region has more than
 * {@code maxPerRegion} nodes updating and none falls below {@code minHealthyPerRegion} healthy nodes. Pure: the
 * engine asks it on every tick with the counts it reads from PostgreSQL.
 */
public final class DispatchGate {

    private DispatchGate() {
    }

    /**
     * @param waiting the batch's nodes not yet started, in rollout order
     * @param inFlight per region key, this rollout's nodes updating or in their health gate now
     * @param healthyNow per region key, the fleet's healthy nodes that are not updating now
     * @return the nodes to start now, in rollout order
     */
    public static List<RolloutCandidate> startable(RolloutStrategy strategy, List<RolloutCandidate> waiting,
            Map<String, Integer> inFlight, Map<String, Integer> healthyNow) {
        Map<String, Integer> busy = new HashMap<>(inFlight);
        Map<String, Integer> healthy = new HashMap<>(healthyNow);
        List<RolloutCandidate> start = new ArrayList<>();
        for (RolloutCandidate node : waiting) {
            String region = node.regionKey();
            int running = busy.getOrDefault(region, 0);
            if (strategy.maxPerRegion() > 0 && running >= strategy.maxPerRegion()) {
                continue;
            }
            int up = healthy.getOrDefault(region, 0);
            if (node.healthy() && strategy.minHealthyPerRegion() > 0 && up - 1 < strategy.minHealthyPerRegion()) {
                continue;
            }
            start.add(node);
            busy.put(region, running + 1);
            if (node.healthy()) {
                healthy.put(region, up - 1);
            }
        }
        return start;
    }
}
