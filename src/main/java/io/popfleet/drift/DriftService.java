package io.popfleet.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import jakarta.transaction.Transactional;

import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

import io.popfleet.database.SqlRow;
import io.popfleet.inventory.FleetTargets;

/**
 * Finds the nodes whose facts disagree: the wallet in the inventory, the node's settings, its unit and its running
 * process; its binary against the fleet's target version; ports 80/443 against the fleet's expectation, the
 * running process and the programs on those ports. Each kind is one SQL predicate over the newest observations
 * ({@code node_status}), so the view costs two queries whatever the fleet's size.
 */
@ApplicationScoped
public class DriftService {

    /** One boolean column per kind, named by its code; a node drifts when any is true. */
    private static final String FACTS = "select n.id as node_id, n.name, n.host, n.wallet_address, s.state, s.last_seen_at,"
            + " s.wallet, s.unit_wallet, s.process_wallet, s.binary_version, s.enable_80_443, s.process_80_443,"
            + " s.port_80, s.port_443,"
            + " (n.wallet_address is not null and n.wallet_address is distinct from s.wallet) as wallet_inventory,"
            + " (s.unit_wallet is not null and s.unit_wallet is distinct from s.wallet) as wallet_unit,"
            + " (s.process_seen and s.process_wallet is distinct from s.wallet) as wallet_process,"
            + " (cast(:target as text) is not null and s.binary_version is distinct from cast(:target as text))"
            + " as version,"
            + " (cast(:ports as boolean) is not null and s.enable_80_443 <> cast(:ports as boolean)) as ports_setting,"
            + " (s.process_seen and s.process_80_443 is distinct from s.enable_80_443) as ports_process,"
            + " (coalesce(s.enable_80_443, false) and (s.port_80 like 'taken%' or s.port_443 like 'taken%'))"
            + " as ports_conflict"
            + " from node n join node_status s on s.node_id = n.id where n.enabled and s.last_seen_at is not null";

    private static final String ANY = Arrays.stream(DriftKind.values()).map(DriftKind::code)
            .collect(Collectors.joining(" or ", "(", ")"));

    @Inject
    EntityManager em;

    @Inject
    FleetTargets targets;

    /**
     * @param kind only nodes drifting this way, and only that finding of theirs; every drifting node when empty
     * @param limit at most this many nodes in the list (the counts cover all); 0 for the counts alone
     */
    @Transactional // the counts and the list read one snapshot of the fleet
    public DriftReport report(Optional<DriftKind> kind, int limit) {
        return report(kind.map(DriftKind::code).orElse(ANY), kind, limit);
    }

    /** One node's disagreements (none when it agrees, is disabled or was never reached). */
    @Transactional
    public List<DriftFinding> forNode(long nodeId) {
        String target = target();
        Boolean ports = targets.ports80443().orElse(null);
        List<NodeDrift> nodes = drifting("node_id = :node and " + ANY, Optional.empty(), 1, target, ports, nodeId);
        return nodes.isEmpty() ? List.of() : nodes.get(0).findings();
    }

    private DriftReport report(String filter, Optional<DriftKind> kind, int limit) {
        String target = target();
        Boolean ports = targets.ports80443().orElse(null);
        StringBuilder countSql = new StringBuilder("select count(*) filter (where ").append(filter)
                .append(") as total");
        for (DriftKind k : DriftKind.values()) {
            countSql.append(", count(*) filter (where ").append(k.code()).append(") as ").append(k.code());
        }
        countSql.append(" from (").append(FACTS).append(") d");
        SqlRow counted = SqlRow.single(bind(SqlRow.query(em, countSql.toString()), target, ports, null));
        Map<String, Long> counts = new LinkedHashMap<>();
        for (DriftKind k : DriftKind.values()) {
            counts.put(k.code(), counted.whole(k.code()));
        }
        // The fleet page asks for the count alone: no list query then.
        List<NodeDrift> nodes = limit == 0 ? List.of() : drifting(filter, kind, limit, target, ports, null);
        return new DriftReport(target, targets.targetVersion().isPresent(), ports, counts, counted.whole("total"),
                nodes);
    }

    private List<NodeDrift> drifting(String filter, Optional<DriftKind> kind, int limit, String target,
            Boolean ports, Long nodeId) {
        List<SqlRow> rows = SqlRow.list(bind(SqlRow.query(em, "select * from (" + FACTS + ") d where " + filter
                + " order by name limit :limit"), target, ports, nodeId).setParameter("limit", limit));
        return rows.stream().map(row -> nodeDrift(row, target, ports, kind)).toList();
    }

    private String target() {
        return targets.targetVersion().orElseGet(() -> newestVersion().orElse(null));
    }

    /** The highest binary version any enabled node reported, compared number by number (0.2.10 > 0.2.9). */
    Optional<String> newestVersion() {
        @SuppressWarnings("unchecked")
        List<String> versions = em.createNativeQuery("select distinct s.binary_version from node_status s"
                + " join node n on n.id = s.node_id where n.enabled and s.binary_version is not null")
                .getResultList();
        return versions.stream().max(VERSION_ORDER);
    }

    static final Comparator<String> VERSION_ORDER = (a, b) -> {
        String[] x = a.split("[^0-9]+");
        String[] y = b.split("[^0-9]+");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            long p = i < x.length && !x[i].isEmpty() ? Long.parseLong(x[i]) : 0;
            long q = i < y.length && !y[i].isEmpty() ? Long.parseLong(y[i]) : 0;
            if (p != q) {
                return Long.compare(p, q);
            }
        }
        return a.compareTo(b);
    };

    private static Query bind(Query query, String target, Boolean ports, Long nodeId) {
        query.setParameter("target", new TypedParameterValue<>(StandardBasicTypes.STRING, target))
                .setParameter("ports", new TypedParameterValue<>(StandardBasicTypes.BOOLEAN, ports));
        return nodeId == null ? query : query.setParameter("node", nodeId);
    }

    private static NodeDrift nodeDrift(SqlRow row, String target, Boolean ports, Optional<DriftKind> only) {
        String inventoryWallet = row.text("wallet_address");
        String wallet = row.text("wallet");
        String unitWallet = row.text("unit_wallet");
        String processWallet = row.text("process_wallet");
        String version = row.text("binary_version");
        Boolean enabled = row.flag("enable_80_443");
        Boolean processEnabled = row.flag("process_80_443");
        String port80 = row.text("port_80");
        String port443 = row.text("port_443");
        // The wallet every place should hold: the inventory's when it names one, else the node's own setting.
        String wanted = inventoryWallet != null ? inventoryWallet : wallet;
        DriftFix setWanted = new DriftFix("set-wallet", wanted == null ? List.of() : List.of(wanted),
                Map.of("restart", ""), null);

        List<DriftFinding> findings = new ArrayList<>();
        for (DriftKind kind : DriftKind.values()) {
            if (!Boolean.TRUE.equals(row.flag(kind.code())) || only.filter(k -> k != kind).isPresent()) {
                continue;
            }
            findings.add(switch (kind) {
                case WALLET_INVENTORY -> new DriftFinding(kind, inventoryWallet, orNone(wallet), setWanted);
                case WALLET_UNIT -> new DriftFinding(kind, orNone(wallet), unitWallet, setWanted);
                case WALLET_PROCESS -> new DriftFinding(kind, orNone(wallet), orNone(processWallet),
                        wanted != null && wanted.equals(wallet) ? DriftFix.of("restart") : setWanted);
                case VERSION -> new DriftFinding(kind, target, version == null ? "no working binary" : version,
                        DriftFix.rolloutTo(target));
                case PORTS_SETTING -> new DriftFinding(kind, onOff(ports), onOff(enabled), Boolean.TRUE.equals(ports)
                        ? DriftFix.of("enable-80-443", "restart")
                        : new DriftFix("configure", List.of("enable_80_443=false"), Map.of("restart", ""), null));
                case PORTS_PROCESS -> new DriftFinding(kind, onOff(enabled), onOff(processEnabled),
                        DriftFix.of("restart"));
                case PORTS_CONFLICT -> new DriftFinding(kind, "80 and 443 served by the node",
                        "80 " + port80 + ", 443 " + port443, new DriftFix("ports", List.of(), Map.of(),
                                "stop or move the other program, then pop restart"));
            });
        }
        return new NodeDrift(row.whole("node_id"), row.text("name"), row.text("host"), row.text("state"),
                row.instant("last_seen_at"), findings);
    }

    private static String orNone(String wallet) {
        return wallet == null ? "none" : wallet;
    }

    private static String onOff(Boolean enabled) {
        return enabled == null ? "unknown" : enabled ? "enabled" : "disabled";
    }
}
