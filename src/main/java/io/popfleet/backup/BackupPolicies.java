package io.popfleet.backup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.popfleet.api.BadRequestProblem;
import io.popfleet.api.NotFoundProblem;
import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/**
 * Backup schedules and retention: one policy per group (made on first sight, on and daily) and the default for the
 * nodes in no group. Reading and editing them; the scheduler and retention read the same rows.
 */
@ApplicationScoped
public class BackupPolicies {

    @Inject
    EntityManager em;

    @Inject
    AuditLog audit;

    /** The default policy first, then every group's, by name. */
    @Transactional
    public List<BackupPolicy> list() {
        ensureGroupRows();
        List<BackupPolicy> all = new ArrayList<>();
        all.add(BackupPolicy.of(SqlRow.single(SqlRow.query(em, "select null as group_name, p.enabled,"
                + " p.interval_hours, p.keep_last, p.keep_daily, p.keep_weekly, p.last_started_at, (select count(*)"
                + " from node n where n.enabled and not exists (select 1 from node_group_member m where m.node_id"
                + " = n.id)) as nodes from backup_policy_default p"))));
        SqlRow.list(SqlRow.query(em, "select g.name as group_name, p.enabled, p.interval_hours, p.keep_last,"
                + " p.keep_daily, p.keep_weekly, p.last_started_at, (select count(*) from node_group_member m join"
                + " node n on n.id = m.node_id where m.group_id = g.id and n.enabled) as nodes from backup_policy p"
                + " join node_group g on g.id = p.group_id order by g.name")).stream().map(BackupPolicy::of)
                .forEach(all::add);
        return all;
    }

    /** Sets a group's policy ({@code group} null: the default one); audited {@code backup.policy}. */
    @Transactional
    public BackupPolicy update(String group, BackupPolicy.Change change, String actor) {
        if (change == null) {
            throw new BadRequestProblem("invalid-policy", "a policy needs enabled, intervalHours, keepLast,"
                    + " keepDaily and keepWeekly");
        }
        String problem = change.problem();
        if (problem != null) {
            throw new BadRequestProblem("invalid-policy", problem);
        }
        ensureGroupRows();
        String where;
        if (group == null) {
            where = "backup_policy_default set ";
        } else {
            where = "backup_policy set ";
        }
        var update = em.createNativeQuery("update " + where + "enabled = :enabled, interval_hours = :interval,"
                + " keep_last = :last, keep_daily = :daily, keep_weekly = :weekly"
                + (group == null ? "" : " where group_id = (select id from node_group where name = :group)"))
                .setParameter("enabled", change.enabled()).setParameter("interval", change.intervalHours())
                .setParameter("last", change.keepLast()).setParameter("daily", change.keepDaily())
                .setParameter("weekly", change.keepWeekly());
        if (group != null) {
            update.setParameter("group", group);
        }
        if (update.executeUpdate() == 0) {
            throw new NotFoundProblem("group", group);
        }
        audit.record(actor, "backup.policy", group == null ? "default" : group, AuditLog.OK, Map.of("enabled",
                change.enabled(), "intervalHours", change.intervalHours(), "keepLast", change.keepLast(),
                "keepDaily", change.keepDaily(), "keepWeekly", change.keepWeekly()));
        return list().stream().filter(p -> group == null ? p.isDefault() : group.equals(p.group())).findFirst()
                .orElseThrow();
    }

    /** Every group has its row (on and daily) from the first time anyone looks. */
    void ensureGroupRows() {
        em.createNativeQuery("insert into backup_policy (group_id) select id from node_group on conflict do nothing")
                .executeUpdate();
    }
}
