package io.popfleet.ssh;

import java.util.Objects;

/**
 * Where and as whom to run: a value, so the engine does not depend on inventory entities. {@code credentialName}
 * names a stored credential.
 */
public record SshTarget(long nodeId, String name, String host, int port, String user, String credentialName) {

    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /** Sessions are shared only between operations with the same endpoint, user and credential. */
    SessionKey sessionKey() {
        return new SessionKey(nodeId, host, port, user, credentialName);
    }

    record SessionKey(long nodeId, String host, int port, String user, String credentialName) {
    }
}
