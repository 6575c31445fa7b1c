package io.popfleet.ssh;

import java.security.PublicKey;
import java.util.Objects;

/**
 * Where and as whom to run: a value, so the engine does not depend on inventory entities. {@code credentialName}
 * names a stored credential. {@code jump}, when set, is the bastion (itself a node, with its own pinned key and
 * credential) through which this node is reached. {@code tool}, when set, is the node's own choice of node tool
 * (its inventory entry or group vars); null: the controller's ({@code popfleet.node-tool.*}). {@code pin}, when set,
 * is the node's pinned host key as read with the rest of the target: a key exchange that offers it needs no
 * lookup of its own (on an SSH I/O thread, a database transaction per new session); any other key is checked
 * against the store as it is then, so a pin read before a re-pin never refuses the new key.
 */
public record SshTarget(long nodeId, String name, String host, int port, String user, String credentialName,
        SshTarget jump, NodeTool tool, PublicKey pin) {

    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public SshTarget(long nodeId, String name, String host, int port, String user, String credentialName) {
        this(nodeId, name, host, port, user, credentialName, null, null, null);
    }

    public SshTarget(long nodeId, String name, String host, int port, String user, String credentialName,
            SshTarget jump) {
        this(nodeId, name, host, port, user, credentialName, jump, null, null);
    }

    public SshTarget(long nodeId, String name, String host, int port, String user, String credentialName,
            SshTarget jump, NodeTool tool) {
        this(nodeId, name, host, port, user, credentialName, jump, tool, null);
    }

    public SshTarget via(SshTarget bastion) {
        return new SshTarget(nodeId, name, host, port, user, credentialName, bastion, tool, pin);
    }

    /** The same endpoint, calling {@code nodeTool} (null: the controller's default). */
    public SshTarget withTool(NodeTool nodeTool) {
        return new SshTarget(nodeId, name, host, port, user, credentialName, jump, nodeTool, pin);
    }

    /** The same endpoint, with its pinned host key as just read (null: none, or not read). */
    public SshTarget withPin(PublicKey pinned) {
        return new SshTarget(nodeId, name, host, port, user, credentialName, jump, tool, pinned);
    }

    /** The pin by its fingerprint: a key's own text runs over several lines and says nothing to a person. */
    @Override
    public String toString() {
        return "SshTarget[nodeId=" + nodeId + ", name=" + name + ", host=" + host + ", port=" + port + ", user=" + user
                + ", credentialName=" + credentialName + ", jump=" + jump + ", tool=" + tool + ", pin="
                + (pin == null ? null : HostKeys.fingerprint(pin)) + "]";
    }

    /** Sessions are shared only between operations with the same endpoint, user and credential. */
    SessionKey sessionKey() {
        return new SessionKey(nodeId, host, port, user, credentialName, jump == null ? null : jump.sessionKey());
    }

    record SessionKey(long nodeId, String host, int port, String user, String credentialName, SessionKey via) {
    }
}
