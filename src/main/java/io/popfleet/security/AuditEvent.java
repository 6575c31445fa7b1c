package io.popfleet.security;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** One audited action. Rows are only ever inserted. */
@Entity
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

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(nullable = false, columnDefinition = "jsonb")
    public Map<String, Object> details;

    public static List<AuditEvent> newest(String action, int page, int size) {
        Sort order = Sort.descending("at", "id");
        var query = action == null ? findAll(order) : find("action", order, action);
        return query.page(Page.of(page, size)).list();
    }

    /**
     * What happened to one node: events that target it by name, and imports that added or changed it (they
     * target the file and list node names in their details).
     */
    @SuppressWarnings("unchecked")
    public static List<AuditEvent> forNode(String name, int limit) {
        return getEntityManager().createNativeQuery("select * from audit_event where target = :name"
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
