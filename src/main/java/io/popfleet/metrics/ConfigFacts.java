package io.popfleet.metrics;

import java.util.List;
import java.util.Map;

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

    static ConfigFacts fromStatus(Map<String, Object> data) {
        Map<String, Object> config = StatusFields.map(data.get("config"));
        Object process = data.get("process");
        Map<String, Object> proc = StatusFields.map(process);
        return new ConfigFacts(StatusFields.text(config.get("unit_wallet")), process instanceof Map<?, ?>,
                StatusFields.text(proc.get("wallet")), StatusFields.bool(config.get("enable_80_443")),
                StatusFields.bool(proc.get("enable_80_443")), port(data.get("ports"), 80), port(data.get("ports"), 443));
    }

    private static String port(Object ports, int number) {
        if (!(ports instanceof List<?> list)) {
            return null;
        }
        for (Object entry : list) {
            Map<String, Object> port = StatusFields.map(entry);
            if (port.get("port") instanceof Number n && n.intValue() == number) {
                String status = StatusFields.text(port.get("status"));
                return "taken".equals(status) ? "taken by " + port.get("holder") : status;
            }
        }
        return null;
    }
}
