package io.popfleet.ssh;

import java.security.PublicKey;
import java.util.Optional;

/**
 * Where pinned host keys live (PostgreSQL in the controller, memory or a known_hosts file in the benchmark).
 * Called from the SSH I/O threads during key exchange, so implementations answer quickly.
 */
public interface HostKeyStore {

    Optional<PublicKey> pinned(SshTarget target);

    /** TOFU: first key seen for a node; implementations audit it. */
    void pinOnFirstUse(SshTarget target, PublicKey offered);

    /** A refused key: a mismatch against {@code pinned}, or an unknown key under strict ({@code pinned} empty). */
    void refused(SshTarget target, PublicKey offered, Optional<PublicKey> pinned);
}
