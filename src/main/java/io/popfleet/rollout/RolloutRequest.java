package io.popfleet.rollout;

import java.util.List;

import io.popfleet.runs.NodeSelection;

/**
 * A rollout to preview or start: the release version, which nodes (the fleet search's filters, disabled nodes
 * shown as skipped) and how.
 */
public record RolloutRequest(String version, List<String> groups, List<String> tags, String q, List<String> names,
        StrategySpec strategy) {

    /** Every node the filters match, disabled ones too: the preview names them as skipped. */
    public NodeSelection selection() {
        return new NodeSelection(groups, tags, q, names, true);
    }

    public RolloutStrategy parsedStrategy() {
        return spec().toStrategy();
    }

    /** The strategy in full, defaults filled in, as the rollout stores it. */
    public StrategySpec spec() {
        return (strategy == null ? new StrategySpec(null, null, null, null, null, null, null, null, null, null,
                null, null) : strategy).resolved();
    }
}
