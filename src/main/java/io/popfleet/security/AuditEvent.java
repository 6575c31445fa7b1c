package io.popfleet.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import org.hibernate.annotations.Immutable;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/**
 * One audited action. Rows are only ever inserted: {@code @Immutable} keeps Hibernate from ever writing an UPDATE
 * (the database refuses one anyway, see V035).
 */
@Entity
@Immutable
@Table(name = "audit_event")
public class AuditEvent extends PanacheEntityBase {

    @Id
    @SequenceGenerator(name = "audit_event_seq", sequenceName = "audit_event_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "audit_event_seq")
    public Long id;

    @Column(nullable = false)
    public Instant at;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public String action;

    public String target;

    @Column(nullable = false)
    public String outcome;

    /** The caller's address, when the action came through HTTP; null for the controller's own work. */
    public String source;

    /**
     * Names of the nodes the action concerned (capped at {@link AuditLog#MAX_NODES}). An array, not a list:
     * Hibernate would bind it with the JSON type of another entity's {@code List<String>} (Run.arguments).
     */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(nullable = false, columnDefinition = "text[]")
    public String[] nodes;

    public List<String> nodeList() {
        return nodes == null ? List.of() : List.of(nodes);
    }

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> details;

    public static List<AuditEvent> newest(String action, int page, int size) {
        Sort order = Sort.descending("at", "id");
        var query = action == null ? findAll(order) : find("action", order, action);
        return query.page(Page.of(page, size)).list();
    }

    /** One page of the events {@code query} selects, newest first. */
    @SuppressWarnings("unchecked")
    public static List<AuditEvent> search(AuditQuery query, io.popfleet.api.Paging paging) {
        AuditQuery.Where where = query.where();
        var select = getEntityManager().createNativeQuery("select * from audit_event where " + where.sql()
                + " order by at desc, id desc offset :offset limit :limit", AuditEvent.class);
        where.params().forEach(select::setParameter);
        return select.setParameter("offset", paging.offset()).setParameter("limit", paging.size()).getResultList();
    }

    /** Every matching event, newest first, at most {@code limit}: for exports. */
    @SuppressWarnings("unchecked")
    public static List<AuditEvent> searchAll(AuditQuery query, int limit) {
        AuditQuery.Where where = query.where();
        var select = getEntityManager().createNativeQuery("select * from audit_event where " + where.sql()
                + " order by at desc, id desc limit :limit", AuditEvent.class);
        where.params().forEach(select::setParameter);
        return select.setParameter("limit", limit).getResultList();
    }

    public static long countMatching(AuditQuery query) {
        AuditQuery.Where where = query.where();
        var count = getEntityManager().createNativeQuery("select count(*) from audit_event where " + where.sql());
        where.params().forEach(count::setParameter);
        return ((Number) count.getSingleResult()).longValue();
    }

    /**
     * What happened to one node: events that target it by name, and imports that added or changed it (they
     * target the file and list node names in their details).
     */
    @SuppressWarnings("unchecked")
    public static List<AuditEvent> forNode(String name, int limit) {
        return getEntityManager().createNativeQuery("select * from audit_event where target = :name"
                + " or nodes @> array[cast(:name as text)]"
                + " or (action = 'inventory.import'"
                + " and (details -> 'added' @> jsonb_build_array(cast(:name as text))"
                + " or details -> 'changed' @> jsonb_build_array(cast(:name as text))))"
                + " order by at desc, id desc limit :limit", AuditEvent.class)
                .setParameter("name", name).setParameter("limit", limit).getResultList();
    }

    public static long countFor(String action) {
        return action == null ? count() : count("action", action);
    }
}
