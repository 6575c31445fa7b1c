package io.popfleet.inventory;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.PrePersist;
import jakarta.persistence.PreUpdate;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.BatchSize;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A PoP node in the fleet inventory: where to reach it over SSH and what the operator knows about it. */
@Entity
@Table(name = "node")
public class Node extends PanacheEntityBase {

    @Id
    @SequenceGenerator(name = "node_seq", sequenceName = "node_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "node_seq")
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String host;

    @Column(name = "ssh_port", nullable = false)
    public int sshPort;

    @Column(name = "ssh_user", nullable = false)
    public String sshUser;

    @Column(name = "credential_ref")
    public String credentialRef;

    @Column(nullable = false)
    public boolean enabled = true;

    public String region;

    @Column(name = "wallet_address")
    public String walletAddress;

    public String notes;

    /** The name of the inventory entry through which this node is reached (a bastion); null: directly. */
    public String jump;

    /** {@code shipped} or {@code installed}; null: the controller's {@code popfleet.node-tool.mode}. */
    @Column(name = "node_tool")
    public String nodeTool;

    /** The installed tool's path or command name; null: the controller's {@code popfleet.node-tool.installed-path}. */
    @Column(name = "node_tool_path")
    public String nodeToolPath;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    public long version;

    // Batch fetching keeps a page of 500 nodes at three queries (nodes, groups, tags), never one per node.
    @ManyToMany
    @BatchSize(size = 500)
    @JoinTable(name = "node_group_member",
            joinColumns = @JoinColumn(name = "node_id"),
            inverseJoinColumns = @JoinColumn(name = "group_id"))
    public Set<NodeGroup> groups = new HashSet<>();

    @ElementCollection
    @BatchSize(size = 500)
    @CollectionTable(name = "node_tag", joinColumns = @JoinColumn(name = "node_id"))
    public Set<NodeTag> tags = new HashSet<>();

    @PrePersist
    void onCreate() {
        createdAt = Instant.now();
        updatedAt = createdAt;
    }

    @PreUpdate
    void onUpdate() {
        updatedAt = Instant.now();
    }

    public TreeSet<String> groupNames() {
        TreeSet<String> names = new TreeSet<>();
        groups.forEach(group -> names.add(group.name));
        return names;
    }

    public SortedMap<String, String> tagMap() {
        SortedMap<String, String> map = new TreeMap<>();
        tags.forEach(tag -> map.put(tag.key, tag.value));
        return map;
    }

    public String endpoint() {
        return host.contains(":") ? "[" + host + "]:" + sshPort : host + ":" + sshPort;
    }
}
