package io.popfleet.inventory.importing;

/** Reads one inventory format. Implementations are stateless and thread-safe. */
public interface InventoryParser {

    InventoryFormat format();

    /**
     * Parses and validates a whole file; the caller has already enforced the size limit.
     *
     * @throws InventoryRejectedException listing every problem found, each with its line
     */
    ParsedInventory parse(byte[] content) throws InventoryRejectedException;
}
