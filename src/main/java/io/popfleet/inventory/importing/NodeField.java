package io.popfleet.inventory.importing;

/** The single-valued fields of a node that a file may set, with the words used for them in messages. */
enum NodeField {
    NAME("name"),
    HOST("host"),
    PORT("port"),
    USER("SSH user"),
    CREDENTIAL("credential"),
    ENABLED("enabled"),
    REGION("region"),
    WALLET("wallet"),
    NOTES("notes"),
    JUMP("jump host"),
    NODE_TOOL("node tool"),
    NODE_TOOL_PATH("node tool path");

    final String label;

    NodeField(String label) {
        this.label = label;
    }
}
