package io.popfleet.alerts;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;

import io.popfleet.database.SqlRow;
import io.popfleet.inventory.FleetTargets;
import io.popfleet.metrics.MetricsConfig;

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
        collect(firing, "node_down", SqlRow.query(em, "select n.id, n.name from node n where n.enabled and"
                + " (select count(*) from (select m.state from node_metric m where m.node_id = n.id"
                + " order by m.at desc limit :polls) recent where recent.state in ('down', 'unreachable')) = :polls")
                .setParameter("polls", config.downPolls()),
                name -> name + " was down or unreachable at the last " + config.downPolls() + " polls");
        List<SqlRow> drops = SqlRow.list(SqlRow.query(em, "select n.id, n.name, s.reputation,"
                + " d.reputation as day_ago from node n"
                + " join node_status s on s.node_id = n.id"
                + " join lateral (select m.reputation from node_metric m where m.node_id = n.id"
                + " and m.at <= now() - interval '1 day' and m.reputation is not null order by m.at desc limit 1) d"
                + " on true where n.enabled and s.reputation < d.reputation - :drop")
                .setParameter("drop", config.reputationDrop()));
        for (SqlRow row : drops) {
            firing.add(new Firing(row.whole("id"), "reputation_drop", String.format(java.util.Locale.ROOT,
                    "%s: reputation fell from %.4f to %.4f in a day", row.text("name"), row.real("day_ago"),
                    row.real("reputation"))));
        }
        // The controller's store, not the node's own list: a copy on the node dies with its disk.
        collect(firing, "backup_stale", SqlRow.query(em, "select n.id, n.name from node n where n.enabled and"
                + " (exists (select 1 from node_backup b where b.node_id = n.id) or exists (select 1 from"
                + " backup_archive a where a.node_id = n.id)) and not exists (select 1 from backup_archive a"
                + " where a.node_id = n.id and a.verify_ok and a.made_at >= :oldest)")
                .setParameter("oldest", Instant.now().minus(metrics.backupMaxAge())),
                name -> name + " has no verified backup in the controller's store newer than "
                        + metrics.backupMaxAge().toDays() + " days");
        collect(firing, "backup_corrupt", SqlRow.query(em, "select n.id, n.name from node n where n.enabled and"
                + " exists (select 1 from backup_archive a where a.node_id = n.id and a.verify_ok = false)"),
                name -> name + " has a stored backup that failed verification (docs/backups.md)");
        // Only a target set on purpose: "newest seen in the fleet" would fire for every node mid-rollout.
        targets.targetVersion().ifPresent(target -> collect(firing, "version_behind", SqlRow.query(em,
                "select n.id, n.name from node n join node_status s on s.node_id = n.id where n.enabled"
                        + " and s.binary_version is not null and s.binary_version <> :target")
                .setParameter("target", target),
                name -> name + " does not run the fleet's target version " + target));
        // A rollout that stopped on its own (canary, budget, deadline) left these nodes behind; a later rollout
        // that takes the node, or a day, ends it.
        List<SqlRow> stopped = SqlRow.list(SqlRow.query(em, "select distinct on (n.id) n.id, n.name, r.id as rollout,"
                + " r.target_version, r.reason, rn.state from rollout_node rn join rollout r on r.id = rn.rollout_id"
                + " join node n on n.id = rn.node_id where n.enabled and r.stopped_by is not null"
                + " and r.updated_at > now() - interval '1 day' and rn.state in ('failed', 'reverted', 'cancelled')"
                + " and not exists (select 1 from rollout_node later where later.node_id = rn.node_id"
                + " and later.rollout_id > rn.rollout_id and later.state <> 'skipped')"
                + " order by n.id, r.id desc"));
        for (SqlRow row : stopped) {
            firing.add(new Firing(row.whole("id"), "rollout_stopped", row.text("name") + ": rollout "
                    + row.whole("rollout") + " to " + row.text("target_version") + " stopped (" + row.text("reason")
                    + "); this node " + ("cancelled".equals(row.text("state")) ? "was not updated" : "is "
                            + row.text("state"))));
        }
        return firing;
    }

    /** Fires {@code rule} for each node a query selecting {@code id} and {@code name} finds. */
    private static void collect(List<Firing> firing, String rule, Query nodes,
            java.util.function.UnaryOperator<String> message) {
        for (SqlRow node : SqlRow.list(nodes)) {
            firing.add(new Firing(node.whole("id"), rule, message.apply(node.text("name"))));
        }
    }
}
