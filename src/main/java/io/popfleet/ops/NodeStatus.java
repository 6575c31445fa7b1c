package io.popfleet.ops;

import java.util.List;
import java.util.Map;

/**
 * What {@code pop status} reports, as far as the controller uses it. Every field may be null: a field the node
 * did not report stays unknown rather than failing the answer.
 *
 * @param pointsSource where {@code points} came from (the binary's --points); null when the node gave none
 * @param auth the Pipe token as the node binary last showed it: {@code ok}, {@code expired} or {@code unknown}
 * @param binaryStatus what the node binary answered to --status ({@code ok}, {@code unknown_format}, ...)
 * @param config node.conf's switch and the wallet the systemd unit passes
 * @param process what the running process was started with; null when none runs or its arguments are unreadable
 */
public record NodeStatus(String serviceState, Boolean healthy, Reputation reputation, Long points,
        FigureSource pointsSource, String auth, String binaryStatus, String binaryVersion, String wallet,
        Config config, Process process, List<Port> ports) implements NodeAnswer {

    public NodeStatus {
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** node.conf's {@code enable_80_443} and the unit's {@code --pubKey} (null when the unit names none). */
    public record Config(Boolean enable80443, String unitWallet) {
    }

    /** The running process's wallet and ports switch. */
    public record Process(String wallet, Boolean enable80443) {
    }

    /**
     * @param status {@code ours}, {@code free} or {@code taken}
     * @param holder what holds a taken port
     */
    public record Port(Integer port, String status, String holder) {
    }

    /** Whether the node binary showed Pipe refusing the node's token (renewed by {@code pop refresh}). */
    public boolean authExpired() {
        return "expired".equals(auth);
    }

    /** The port entry for {@code number}, if the node reported one. */
    public java.util.Optional<Port> port(int number) {
        return ports.stream().filter(p -> p.port() != null && p.port() == number).findFirst();
    }

    static NodeStatus read(Map<String, Object> data) {
        Map<String, Object> service = AnswerFields.map(data.get("service"));
        Map<String, Object> config = AnswerFields.map(data.get("config"));
        Object process = data.get("process");
        Map<String, Object> proc = AnswerFields.map(process);
        List<Port> ports = AnswerFields.list(data.get("ports")).stream().map(AnswerFields::map)
                .map(port -> new Port(port.get("port") instanceof Number n ? n.intValue() : null,
                        AnswerFields.text(port.get("status")), holder(port.get("holder"))))
                .toList();
        return new NodeStatus(AnswerFields.text(service.get("state")), AnswerFields.bool(service.get("healthy")),
                Reputation.read(data.get("reputation")), AnswerFields.whole(data.get("points")),
                FigureSource.of(data.get("points_source")), AnswerFields.text(data.get("auth")),
                AnswerFields.text(AnswerFields.map(data.get("binary_status")).get("state")),
                AnswerFields.text(AnswerFields.map(data.get("binary")).get("version")),
                AnswerFields.text(data.get("wallet")),
                new Config(AnswerFields.bool(config.get("enable_80_443")), AnswerFields.text(config.get("unit_wallet"))),
                process instanceof Map<?, ?> ? new Process(AnswerFields.text(proc.get("wallet")),
                        AnswerFields.bool(proc.get("enable_80_443"))) : null,
                ports);
    }

    // Shown as the node sent it ("taken by nginx"); a holder of another type still names something.
    private static String holder(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
