package io.popfleet.web;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

import io.popfleet.alerts.AlertService;
import io.popfleet.alerts.AlertView;
import io.popfleet.api.Page;
import io.popfleet.drift.DriftService;
import io.popfleet.inventory.GroupService;
import io.popfleet.inventory.GroupView;
import io.popfleet.inventory.NodeQuery;
import io.popfleet.inventory.NodeService;
import io.popfleet.inventory.NodeView;
import io.popfleet.metrics.FleetSummary;
import io.popfleet.metrics.MetricsService;
import io.popfleet.metrics.NodeBackup;
import io.popfleet.metrics.NodeHealth;
import io.popfleet.security.Roles;

/** The fleet: every node, filtered and paged in SQL; htmx swaps only the table as filters change. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@RolesAllowed(Roles.VIEWER)
public class FleetPage {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance fleet(String nav, FleetFilter filter, Page<NodeView> nodes, List<GroupView> groups,
                FleetSummary health, long staleBackups, long drifting, OpenAlerts alerts,
                Map<Long, NodeHealth> states, Map<Long, NodeBackup> backups);

        static native TemplateInstance fleet$health(FleetSummary health, List<GroupView> groups, long staleBackups,
                long drifting, OpenAlerts alerts);

        static native TemplateInstance fleet$table(FleetFilter filter, Page<NodeView> nodes, Map<Long, NodeHealth> states,
                Map<Long, NodeBackup> backups);
    }

    /** Alerts a group shows by name; the rest are counted. */
    static final int ALERTS_PER_KIND = 5;

    /** How urgent each alert rule is, most urgent first; a rule not listed comes last. */
    /**
     * Most urgent first: a node down or an identity copy that no longer restores costs reputation now; a stopped
     * rollout leaves nodes on mixed versions until someone acts; the rest can wait for the next look.
     */
    private static final List<String> SEVERITY = List.of("node_down", "backup_corrupt", "rollout_stopped",
            "reputation_drop", "version_behind", "backup_stale");

    /**
     * The open alerts of one rule: a fleet with 25 stale backups and 4 nodes down shows the 4 first, and the 25
     * as one line, not 25.
     */
    public record AlertGroup(String rule, List<AlertView> alerts) {

        public List<AlertView> shown() {
            return alerts.subList(0, Math.min(ALERTS_PER_KIND, alerts.size()));
        }

        public int more() {
            return Math.max(0, alerts.size() - ALERTS_PER_KIND);
        }

        public boolean urgent() {
            return "node_down".equals(rule);
        }
    }

    /** The open alerts, by rule, most urgent first. */
    public record OpenAlerts(List<AlertGroup> groups) {

        public int total() {
            return groups.stream().mapToInt(g -> g.alerts().size()).sum();
        }

        public boolean isEmpty() {
            return groups.isEmpty();
        }
    }

    static OpenAlerts open(List<AlertView> open) {
        return new OpenAlerts(grouped(open));
    }

    static List<AlertGroup> grouped(List<AlertView> open) {
        Map<String, List<AlertView>> byRule = new java.util.TreeMap<>(java.util.Comparator
                .comparingInt((String rule) -> SEVERITY.contains(rule) ? SEVERITY.indexOf(rule) : SEVERITY.size())
                .thenComparing(java.util.Comparator.naturalOrder()));
        for (AlertView alert : open) {
            byRule.computeIfAbsent(alert.rule(), rule -> new java.util.ArrayList<>()).add(alert);
        }
        return byRule.entrySet().stream().map(e -> new AlertGroup(e.getKey(), e.getValue())).toList();
    }

    /** The filter as the page shows it, and the links that keep it while paging or sorting. */
    public record FleetFilter(String q, String group, String tag, String enabled, String sort, String direction,
            int page, int size) {

        public String previous() {
            return "/fleet?" + query(page - 1, sort, direction);
        }

        public String next() {
            return "/fleet?" + query(page + 1, sort, direction);
        }

        public String sortLink(String by) {
            String next = by.equals(sort) && "asc".equals(direction) ? "desc" : "asc";
            return "/fleet?" + query(0, by, next);
        }

        public String arrow(String by) {
            return !by.equals(sort) ? "" : "asc".equals(direction) ? " ▲" : " ▼";
        }

        private String query(int toPage, String bySort, String byDirection) {
            StringBuilder query = new StringBuilder();
            append(query, "q", q);
            append(query, "group", group);
            append(query, "tag", tag);
            append(query, "enabled", enabled);
            append(query, "sort", bySort);
            append(query, "direction", byDirection);
            append(query, "page", Integer.toString(toPage));
            append(query, "size", Integer.toString(size));
            return query.toString();
        }

        private static void append(StringBuilder query, String key, String value) {
            if (value != null && !value.isBlank()) {
                if (query.length() > 0) {
                    query.append('&');
                }
                query.append(key).append('=').append(java.net.URLEncoder.encode(value,
                        java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    @Inject
    NodeService nodes;

    @Inject
    GroupService groups;

    @Inject
    MetricsService metrics;

    @Inject
    AlertService alerts;

    @Inject
    DriftService drift;

    @GET
    public Response home() {
        return Response.seeOther(URI.create("/fleet")).build();
    }

    /**
     * The fleet's health, stale backups, drift and open alerts: the page re-reads it every 30 seconds, so it is the
     * node tool's {@code dashboard}/{@code pulse} for the whole fleet.
     */
    @GET
    @Path("fleet/health")
    public TemplateInstance health() {
        return Templates.fleet$health(metrics.summary(), groups.list(), metrics.staleBackups(),
                drift.report(Optional.empty(), 0).total(), open(alerts.open()));
    }

    @GET
    @Path("fleet")
    public TemplateInstance fleet(@QueryParam("q") String q, @QueryParam("group") String group,
            @QueryParam("tag") String tag, @QueryParam("enabled") String enabled,
            @QueryParam("sort") @DefaultValue("name") String sort,
            @QueryParam("direction") @DefaultValue("asc") String direction,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size,
            @HeaderParam("HX-Request") String htmx, @HeaderParam("HX-Target") String htmxTarget) {
        Boolean enabledFilter = enabled == null || enabled.isBlank() ? null : Boolean.valueOf(enabled);
        NodeQuery query = new NodeQuery(group, tag, q, enabledFilter, sort, "desc".equals(direction), page,
                Math.min(size, NodeQuery.MAX_SIZE));
        FleetFilter filter = new FleetFilter(q, group, tag, enabled, query.sort(),
                query.descending() ? "desc" : "asc", page, query.size());
        Page<NodeView> result = nodes.list(query);
        List<Long> ids = result.items().stream().map(NodeView::id).toList();
        Map<Long, NodeHealth> states = metrics.latest(ids);
        Map<Long, NodeBackup> backups = metrics.backups(ids);
        if (htmx != null && "fleet-table".equals(htmxTarget)) {
            return Templates.fleet$table(filter, result, states, backups);
        }
        return Templates.fleet("fleet", filter, result, groups.list(), metrics.summary(), metrics.staleBackups(),
                drift.report(Optional.empty(), 0).total(), open(alerts.open()), states, backups);
    }
}
