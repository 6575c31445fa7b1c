package io.popfleet.metrics;

import io.popfleet.ops.NodeStatus;

/**
 * A node's settings next to what its running process was started with, read from status data.config,
 * data.process and data.ports (docs/node-json.md). The drift view compares them.
 *
 * @param unitWallet the wallet the systemd unit passes, null when the unit names none
 * @param processSeen whether the running process's arguments could be read; the two process fields mean nothing
 *        otherwise
 * @param port80 {@code ours}, {@code free} or {@code taken by HOLDER}; null when the node did not say
 */
public record ConfigFacts(String unitWallet, boolean processSeen, String processWallet, Boolean enable80443,
        Boolean process80443, String port80, String port443) {

    public static final ConfigFacts UNKNOWN = new ConfigFacts(null, false, null, null, null, null, null);

    static ConfigFacts fromStatus(NodeStatus status) {
        NodeStatus.Process process = status.process();
        return new ConfigFacts(status.config().unitWallet(), process != null,
                process == null ? null : process.wallet(), status.config().enable80443(),
                process == null ? null : process.enable80443(), port(status, 80), port(status, 443));
    }

    private static String port(NodeStatus status, int number) {
        return status.port(number)
                .map(port -> "taken".equals(port.status()) ? "taken by " + port.holder() : port.status())
                .orElse(null);
    }
}
