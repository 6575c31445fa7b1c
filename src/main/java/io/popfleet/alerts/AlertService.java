package io.popfleet.alerts;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.scheduler.Scheduled;

import io.popfleet.database.ClusterJob;
import io.popfleet.database.ClusterJobs;
import io.popfleet.database.SqlRow;
import io.popfleet.security.AuditLog;

/** Opens an alert when a rule starts firing for a node, resolves it when it stops, and notifies the webhook. */
@ApplicationScoped
public class AlertService {

    /** What one evaluation changed. */
    public record Changes(List<AlertView> opened, List<AlertView> resolved) {
    }

    @Inject
    ClusterJobs cluster;

    @Inject
    EntityManager em;

    @Inject
    AlertRules rules;

    @Inject
    AlertsConfig config;

    @Inject
    AuditLog audit;

    @Inject
    AlertWebhook webhook;

    @Scheduled(every = "${popfleet.alerts.evaluate-interval:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        if (config.enabled()) {
            evaluateAndNotify();
        }
    }

    public Changes evaluateAndNotify() {
        Changes changes = evaluate();
        List<AlertWebhook.Notice> notices = new ArrayList<>();
        changes.opened().forEach(alert -> notices.add(new AlertWebhook.Notice("opened", alert)));
        changes.resolved().forEach(alert -> notices.add(new AlertWebhook.Notice("resolved", alert)));
        webhook.sendAll(notices);
        return changes;
    }

    @Transactional
    Changes evaluate() {
        // One evaluator at a time across controllers sharing the database.
        cluster.awaitInTransaction(ClusterJob.ALERT_EVALUATION);
        List<AlertRules.Firing> firing = rules.firing();
        Set<String> firingKeys = new HashSet<>();
        List<AlertView> opened = new ArrayList<>();
        for (AlertRules.Firing f : firing) {
            firingKeys.add(f.nodeId() + "/" + f.rule());
            @SuppressWarnings("unchecked")
            List<Number> ids = em.createNativeQuery("insert into alert (id, node_id, rule, message)"
                    + " values (nextval('alert_seq'), :node, :rule, :message)"
                    + " on conflict (node_id, rule) where resolved_at is null do nothing returning id")
                    .setParameter("node", f.nodeId()).setParameter("rule", f.rule())
                    .setParameter("message", f.message()).getResultList();
            if (!ids.isEmpty()) {
                opened.add(find(ids.get(0).longValue()));
            }
        }
        List<AlertView> resolved = new ArrayList<>();
        // Every open alert, not a page of them: an alert beyond any limit would never be resolved.
        for (SqlRow open : SqlRow.list(SqlRow.query(em,
                "select id, node_id, rule from alert where resolved_at is null order by id"))) {
            if (!firingKeys.contains(open.whole("node_id") + "/" + open.text("rule"))) {
                em.createNativeQuery("update alert set resolved_at = now() where id = :id")
                        .setParameter("id", open.whole("id")).executeUpdate();
                resolved.add(find(open.whole("id")));
            }
        }
        if (!opened.isEmpty() || !resolved.isEmpty()) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("opened", opened.stream().map(a -> a.nodeName() + ":" + a.rule()).limit(100).toList());
            details.put("resolved", resolved.stream().map(a -> a.nodeName() + ":" + a.rule()).limit(100).toList());
            audit.record("alerts", "alert.evaluate", null, AuditLog.OK, details);
        }
        return new Changes(opened, resolved);
    }

    @Transactional
    public List<AlertView> open() {
        return list("a.resolved_at is null", 1000);
    }

    @Transactional
    public List<AlertView> recent(int limit) {
        return list("true", limit);
    }

    private AlertView find(long id) {
        return list("a.id = " + id, 1).get(0);
    }

    private List<AlertView> list(String where, int limit) {
        List<SqlRow> rows = SqlRow.list(SqlRow.query(em, "select a.id, a.node_id, n.name, a.rule, a.message,"
                + " a.opened_at, a.resolved_at from alert a join node n on n.id = a.node_id where " + where
                + " order by a.opened_at desc, a.id desc limit " + limit));
        return rows.stream().map(r -> new AlertView(r.whole("id"), r.whole("node_id"), r.text("name"),
                r.text("rule"), r.text("message"), r.instant("opened_at"), r.instant("resolved_at"))).toList();
    }
}
