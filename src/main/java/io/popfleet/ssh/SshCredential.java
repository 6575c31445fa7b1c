package io.popfleet.ssh;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

/** A stored SSH key pair: the public half in clear, the private half sealed (never returned by any API). */
@Entity
@Table(name = "ssh_credential")
public class SshCredential extends PanacheEntityBase {

    @Id
    @SequenceGenerator(name = "ssh_credential_seq", sequenceName = "ssh_credential_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "ssh_credential_seq")
    public Long id;

    @Column(nullable = false)
    public String name;

    @Column(name = "key_type", nullable = false)
    public String keyType;

    @Column(name = "public_key", nullable = false)
    public String publicKey;

    @Column(nullable = false)
    public String fingerprint;

    @Column(name = "private_key_sealed", nullable = false)
    public byte[] privateKeySealed;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    public static Optional<SshCredential> byName(String name) {
        return find("name", name).firstResultOptional();
    }

    public static List<SshCredential> page(int page, int size) {
        return findAll(Sort.ascending("name")).page(Page.of(page, size)).list();
    }

    /** The AES-GCM associated data: a sealed key only opens under its own credential name. */
    static String sealContext(String name) {
        return "ssh_credential:" + name;
    }
}
