package io.popfleet.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.popfleet.inventory.FleetTargets;
import io.popfleet.metrics.MetricsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

/**
 * The rules, each one SQL statement over the newest observations, so evaluating 10,000 nodes costs four queries:
 * down for N polls in a row, reputation drop against a day ago, stale backup, version behind the fleet's target.
 */
@ApplicationScoped
public class AlertRules {

    /** A rule firing for a node, with the sentence an operator reads. */
    public record Firing(long nodeId, String rule, String message) {
    }

    @Inject
    EntityManager em;

    @Inject
    AlertsConfig config;

    @Inject
    MetricsConfig metrics;

    @Inject
    FleetTargets targets;

    List<Firing> firing() {
        List<Firing> firing = new ArrayList<>();
        collect(firing, "node_down", em.createNativeQuery("select n.id, n.name from node n where n.enabled and"
                + " (select count(*) from (select m.state from node_metric m where m.node_id = n.id"
                + " order by m.at desc limit :polls) recent where recent.state in ('down', 'unreachable')) = :polls")
                .setParameter("polls", config.downPolls()).getResultList(),
                name -> name + " was down or unreachable at the last " + config.downPolls() + " polls");
        @SuppressWarnings("unchecked")
        List<Object[]> drops = em.createNativeQuery("select n.id, n.name, s.reputation, d.reputation from node n"
                + " join node_status s on s.node_id = n.id"
                + " join lateral (select m.reputation from node_metric m where m.node_id = n.id"
                + " and m.at <= now() - interval '1 day' and m.reputation is not null order by m.at desc limit 1) d"
                + " on true where n.enabled and s.reputation < d.reputation - :drop")
                .setParameter("drop", config.reputationDrop()).getResultList();
        for (Object[] row : drops) {
            firing.add(new Firing(((Number) row[0]).longValue(), "reputation_drop", String.format(
                    java.util.Locale.ROOT, "%s: reputation fell from %.4f to %.4f in a day", row[1],
                    ((Number) row[3]).doubleValue(), ((Number) row[2]).doubleValue())));
        }
        collect(firing, "backup_stale", em.createNativeQuery("select n.id, n.name from node n"
                + " join node_backup b on b.node_id = n.id where n.enabled and (b.newest_at is null"
                + " or b.newest_at < :oldest or b.verified = false)")
                .setParameter("oldest", Instant.now().minus(metrics.backupMaxAge())).getResultList(),
                name -> name + " has no verified backup newer than " + metrics.backupMaxAge().toDays() + " days");
        // Only a target set on purpose: "newest seen in the fleet" would fire for every node mid-rollout.
        targets.targetVersion().ifPresent(target -> collect(firing, "version_behind", em.createNativeQuery(
                "select n.id, n.name from node n join node_status s on s.node_id = n.id where n.enabled"
                        + " and s.binary_version is not null and s.binary_version <> :target")
                .setParameter("target", target).getResultList(),
                name -> name + " does not run the fleet's target version " + target));
        return firing;
    }

    private static void collect(List<Firing> firing, String rule, List<?> rows,
            java.util.function.UnaryOperator<String> message) {
        for (Object row : rows) {
            Object[] columns = (Object[]) row;
            firing.add(new Firing(((Number) columns[0]).longValue(), rule, message.apply((String) columns[1])));
        }
    }
}
