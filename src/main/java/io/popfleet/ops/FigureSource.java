package io.popfleet.ops;

/**
 * Where a figure in a node's answer came from (docs/node-json.md, Reputation): the Pipe node binary's own answer,
 * or the node tool's estimate from its report grid, the service's current run and the node's counters.
 */
public enum FigureSource {
    BINARY,
    ESTIMATE;

    /**
     * The source a node named: {@code binary}, or {@code estimate} (also spelled {@code popfleet-estimate}, the
     * value v1 answers always had in {@code reputation.source}); null for anything else or nothing.
     */
    public static FigureSource of(Object value) {
        if ("binary".equals(value)) {
            return BINARY;
        }
        if ("estimate".equals(value) || "popfleet-estimate".equals(value)) {
            return ESTIMATE;
        }
        return null;
    }
}
