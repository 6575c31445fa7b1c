package io.popfleet.ssh;

import java.util.Objects;

/**
 * Where and as whom to run: a value, so the engine does not depend on inventory entities. {@code credentialName}
 * names a stored credential. {@code jump}, when set, is the bastion (itself a node, with its own pinned key and
 * credential) through which this node is reached. {@code tool}, when set, is the node's own choice of node tool
 * (its inventory entry or group vars); null: the controller's ({@code popfleet.node-tool.*}).
 */
public record SshTarget(long nodeId, String name, String host, int port, String user, String credentialName,
        SshTarget jump, NodeTool tool) {

    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    public SshTarget(long nodeId, String name, String host, int port, String user, String credentialName) {
        this(nodeId, name, host, port, user, credentialName, null, null);
    }

    public SshTarget(long nodeId, String name, String host, int port, String user, String credentialName,
            SshTarget jump) {
        this(nodeId, name, host, port, user, credentialName, jump, null);
    }

    public SshTarget via(SshTarget bastion) {
        return new SshTarget(nodeId, name, host, port, user, credentialName, bastion, tool);
    }

    /** The same endpoint, calling {@code nodeTool} (null: the controller's default). */
    public SshTarget withTool(NodeTool nodeTool) {
        return new SshTarget(nodeId, name, host, port, user, credentialName, jump, nodeTool);
    }

    /** Sessions are shared only between operations with the same endpoint, user and credential. */
    SessionKey sessionKey() {
        return new SessionKey(nodeId, host, port, user, credentialName, jump == null ? null : jump.sessionKey());
    }

    record SessionKey(long nodeId, String host, int port, String user, String credentialName, SessionKey via) {
    }
}
