package io.popfleet.inventory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.PrePersist;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Sort;

/** A named set of nodes (a region, a provider, a rollout wave); a node may be in several. */
@Entity
@Table(name = "node_group")
public class NodeGroup extends PanacheEntityBase {

    @Id
    @SequenceGenerator(name = "node_group_seq", sequenceName = "node_group_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "node_group_seq")
    public Long id;

    @Column(nullable = false)
    public String name;

    public String description;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
    }

    public static Optional<NodeGroup> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public static List<NodeGroup> listByName() {
        return listAll(Sort.by("name"));
    }
}
