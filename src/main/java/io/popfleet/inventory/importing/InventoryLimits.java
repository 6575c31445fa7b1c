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

    /** A size as an operator reads it: "10 MiB", "50.5 MiB", "812 KiB", "96 bytes". */
    public static String describeSize(long bytes) {
        if (bytes >= 1024 * 1024) {
            double mib = bytes / (1024.0 * 1024.0);
            return (mib == Math.rint(mib) ? String.valueOf((long) mib)
                    : String.format(java.util.Locale.ROOT, "%.1f", mib)) + " MiB";
        }
        return bytes >= 1024 ? (bytes + 1023) / 1024 + " KiB" : bytes + " bytes";
    }

    private InventoryLimits() {
    }
}
