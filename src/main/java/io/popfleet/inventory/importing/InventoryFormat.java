package io.popfleet.inventory.importing;

/** The inventory file formats the controller reads and writes. */
public enum InventoryFormat {
    /** PoP Fleet's own YAML, see docs/inventory.md. */
    YAML,
    /** Ansible's INI inventory. */
    INI
}
