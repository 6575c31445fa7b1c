package io.popfleet.inventory;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.popfleet.api.ProblemException;
import io.popfleet.inventory.importing.InventoryFormat;
import io.popfleet.inventory.importing.InventoryFormats;
import io.popfleet.inventory.importing.InventoryLimits;
import io.popfleet.inventory.importing.InventoryRejectedException;
import io.popfleet.inventory.importing.ParsedInventory;

/** Picks the parser for an uploaded file and enforces the size limit before anything is parsed. */
@ApplicationScoped
public class InventoryFiles {

    public ParsedInventory parse(byte[] content, String fileName, InventoryFormat format)
            throws InventoryRejectedException {
        if (content.length > InventoryLimits.MAX_BYTES) {
            throw tooLarge(content.length);
        }
        InventoryFormat chosen = format != null ? format : InventoryFormats.detect(fileName, content);
        return InventoryFormats.parser(chosen).parse(content);
    }

    public static ProblemException tooLarge(long size) {
        return new ProblemException("inventory-too-large", "Inventory too large", 413, "the file is "
                + InventoryLimits.describeSize(size) + "; an inventory file may be at most "
                + InventoryLimits.describeSize(InventoryLimits.MAX_BYTES), List.of());
    }
}
