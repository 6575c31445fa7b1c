package io.popfleet.ssh;

import java.security.PublicKey;
import java.util.Optional;

/**
 * Where pinned host keys live (PostgreSQL in the controller, memory or a known_hosts file in the benchmark).
 * Called from the SSH I/O threads during key exchange, so implementations answer quickly.
 */
public interface HostKeyStore {

    Optional<PublicKey> pinned(SshTarget target);

    /**
     * TOFU: pins {@code offered} unless the node has a pin already, and returns the key pinned now. Two first
     * connections may race with different keys; only one wins, and the loser sees the winner's key here, so the
     * caller refuses it exactly as a changed key. Implementations audit the pin.
     */
    PublicKey pinOnFirstUse(SshTarget target, PublicKey offered);

    /** A refused key: a mismatch against {@code pinned}, or an unknown key under strict ({@code pinned} empty). */
    void refused(SshTarget target, PublicKey offered, Optional<PublicKey> pinned);
}
