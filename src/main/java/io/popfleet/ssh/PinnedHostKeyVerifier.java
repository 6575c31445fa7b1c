package io.popfleet.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Optional;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * Accepts exactly the pinned key of the node being connected (compared as MINA's RequiredServerKeyVerifier does):
 * the pin the target carries when it matches, else the store's as it is now; pins on first use only under TOFU,
 * and leaves a mark on the session so a refusal is classified as {@code hostkey_mismatch} rather than a generic
 * disconnect.
 */
final class PinnedHostKeyVerifier implements ServerKeyVerifier {

    static final AttributeKey<SshTarget> TARGET = new AttributeKey<>();
    static final AttributeKey<String> REFUSAL = new AttributeKey<>();
    /** The pins could not be read (the database was away): the controller's failure, not the node's key. */
    static final String STORE_UNAVAILABLE = "host-key store unavailable";

    private final HostKeyStore store;
    private final HostKeyPolicy policy;

    PinnedHostKeyVerifier(HostKeyStore store, HostKeyPolicy policy) {
        this.store = store;
        this.policy = policy;
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        SshTarget target = targetOf(session);
        if (target == null) {
            session.setAttribute(REFUSAL, "connection without a target");
            return false;
        }
        if (target.pin() != null && HostKeys.same(target.pin(), serverKey)) {
            return true;
        }
        Optional<PublicKey> pinned;
        try {
            pinned = store.pinned(target);
        } catch (RuntimeException e) {
            session.setAttribute(REFUSAL, STORE_UNAVAILABLE);
            return false;
        }
        if (pinned.isPresent()) {
            if (HostKeys.same(pinned.get(), serverKey)) {
                return true;
            }
            session.setAttribute(REFUSAL, "host key changed: offered " + HostKeys.fingerprint(serverKey)
                    + ", pinned " + HostKeys.fingerprint(pinned.get()));
            store.refused(target, serverKey, pinned);
            return false;
        }
        if (policy == HostKeyPolicy.TOFU) {
            return pinFirst(session, target, serverKey);
        }
        session.setAttribute(REFUSAL, "no pinned host key (strict); offered " + HostKeys.fingerprint(serverKey)
                + " awaits approval");
        store.refused(target, serverKey, Optional.empty());
        return false;
    }

    /** Pins the key, unless a racing first connection pinned another one: then this one is a changed key. */
    private boolean pinFirst(ClientSession session, SshTarget target, PublicKey serverKey) {
        PublicKey winner;
        try {
            winner = store.pinOnFirstUse(target, serverKey);
        } catch (RuntimeException e) {
            session.setAttribute(REFUSAL, STORE_UNAVAILABLE);
            return false;
        }
        if (HostKeys.same(winner, serverKey)) {
            return true;
        }
        session.setAttribute(REFUSAL, "host key changed: offered " + HostKeys.fingerprint(serverKey)
                + ", pinned " + HostKeys.fingerprint(winner) + " by a concurrent first connection");
        store.refused(target, serverKey, Optional.of(winner));
        return false;
    }

    static SshTarget targetOf(ClientSession session) {
        SshTarget target = session.getAttribute(TARGET);
        if (target == null && session.getConnectionContext() != null) {
            target = session.getConnectionContext().getAttribute(TARGET);
        }
        return target;
    }
}
