package io.popfleet.runs;

import java.util.Collection;
import java.util.Map;

/**
 * A feature that holds nodes for a while (a rollout): no mutating run but its own may change them meanwhile. It
 * lives here, implemented where the holding happens, so {@code runs} need not know what holds a node.
 */
public interface NodeHolder {

    /** For each of these nodes that is held, who holds it. */
    Map<Long, Hold> holds(Collection<Long> nodeIds);

    /**
     * @param actor whose runs may still change the node (the holder's own, e.g. {@code rollout-7})
     * @param holder what holds it, as an operator reads it, e.g. {@code rollout 7 (0.2.8, running)}
     */
    record Hold(String actor, String holder) {
    }
}
