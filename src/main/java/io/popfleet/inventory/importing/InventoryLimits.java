package io.popfleet.inventory.importing;

/** Bounds on what an inventory file may hold, so a hostile or mistaken file cannot exhaust the controller. */
public final class InventoryLimits {

    /** Largest file accepted; the REST layer refuses bigger uploads before reading them into memory. */
    public static final int MAX_BYTES = 10 * 1024 * 1024;

    /** Problems reported in full; past this the list ends with "and N more problems". */
    public static final int MAX_PROBLEMS = 100;

    /** Most nodes one file may describe, counting every host an INI range expands to. */
    public static final int MAX_NODES = 100_000;

    /** Longest notes text, in characters. */
    public static final int MAX_NOTES_LENGTH = 500;

    /** Most tags, and most groups, on one node. */
    public static final int MAX_TAGS_PER_NODE = 50;

    public static final int MAX_GROUPS_PER_NODE = 50;

    private InventoryLimits() {
    }
}
