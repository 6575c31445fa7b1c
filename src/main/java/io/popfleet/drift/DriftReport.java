package io.popfleet.drift;

import java.util.List;
import java.util.Map;

/**
 * The drift view: what the fleet is measured against, how many nodes drift in each way, and the drifting nodes
 * (at most the requested number, name order).
 *
 * @param targetVersion the configured target, else the newest version seen in the fleet; null when no node has
 *        reported a version
 * @param targetConfigured whether {@code targetVersion} comes from popfleet.fleet.target-version
 * @param ports80443 the fleet-wide ports 80/443 expectation, null when there is none
 * @param counts nodes per drift code, every code present
 * @param total nodes with at least one drift (of the kind asked for, when one was)
 */
public record DriftReport(String targetVersion, boolean targetConfigured, Boolean ports80443,
        Map<String, Long> counts, long total, List<NodeDrift> nodes) {

    public boolean truncated() {
        return nodes.size() < total;
    }
}
