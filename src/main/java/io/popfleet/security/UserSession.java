package io.popfleet.security;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A browser session, found by the hash of its cookie value; the cookie value itself is never stored. */
@Entity
@Table(name = "user_session")
public class UserSession extends PanacheEntityBase {

    @Id
    @Column(name = "id_hash")
    public String idHash;

    @ManyToOne(optional = false)
    @JoinColumn(name = "user_id")
    public AppUser user;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    /** The absolute end, fixed at login. */
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;

    public String address;

    public static long deleteForUser(AppUser user) {
        return delete("user", user);
    }
}
