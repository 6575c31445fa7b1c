package io.popfleet.testing;

import java.util.ArrayList;
import java.util.List;

import io.popfleet.inventory.NodeInput;

/**
 * Builds the {@link NodeInput} a test creates a node from, naming only what the test is about:
 * {@code aNode().named("n1").withTag("eu").inGroup("g").build()}.
 *
 * <p>Unless told otherwise a node is named {@code node}, is enabled, listens on 127.0.0.9:22, has no user (the
 * inventory's default), no credential, region, wallet or notes, and belongs to no group and has no tag.
 */
public final class NodeBuilder {

    private String name = "node";
    private String host = "127.0.0.9";
    private int sshPort = 22;
    private String sshUser;
    private String credential;
    private boolean enabled = true;
    private String region;
    private String wallet;
    private String notes;
    private String jump;
    private String nodeTool;
    private String nodeToolPath;
    private final List<String> groups = new ArrayList<>();
    private final List<String> tags = new ArrayList<>();

    private NodeBuilder() {
    }

    public static NodeBuilder aNode() {
        return new NodeBuilder();
    }

    public NodeBuilder named(String nodeName) {
        name = nodeName;
        return this;
    }

    public NodeBuilder at(String address, int port) {
        host = address;
        sshPort = port;
        return this;
    }

    /** A node of the test fleet: its address and port, logging in as {@code pop} like {@link SshTestFleet#target}. */
    public NodeBuilder on(FleetNode node) {
        return at(node.host(), node.port()).loggingInAs("pop");
    }

    public NodeBuilder loggingInAs(String user) {
        sshUser = user;
        return this;
    }

    public NodeBuilder withCredential(String credentialName) {
        credential = credentialName;
        return this;
    }

    public NodeBuilder enabled(boolean on) {
        enabled = on;
        return this;
    }

    public NodeBuilder disabled() {
        return enabled(false);
    }

    public NodeBuilder inRegion(String regionName) {
        region = regionName;
        return this;
    }

    public NodeBuilder withWallet(String address) {
        wallet = address;
        return this;
    }

    public NodeBuilder withNotes(String text) {
        notes = text;
        return this;
    }

    public NodeBuilder inGroup(String... groupNames) {
        groups.addAll(List.of(groupNames));
        return this;
    }

    /** Reached through the node named {@code bastion}. */
    public NodeBuilder through(String bastion) {
        this.jump = bastion;
        return this;
    }

    /** Calls the {@code pop} installed on the node at {@code path} (null: the controller's path), never uploads. */
    public NodeBuilder withInstalledTool(String path) {
        nodeTool = "installed";
        nodeToolPath = path;
        return this;
    }

    /** A {@code key} or {@code key=value} tag. */
    public NodeBuilder withTag(String... keyOrKeyValue) {
        tags.addAll(List.of(keyOrKeyValue));
        return this;
    }

    public NodeInput build() {
        return new NodeInput(name, host, sshPort, sshUser, credential, enabled, region, wallet, notes, jump,
                nodeTool, nodeToolPath, List.copyOf(groups), List.copyOf(tags), null);
    }
}
