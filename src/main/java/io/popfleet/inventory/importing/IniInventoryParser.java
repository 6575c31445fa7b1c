package io.popfleet.inventory.importing;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

/**
 * Reads an Ansible INI inventory ({@code [group]}, {@code [group:vars]}, {@code [group:children]}, host ranges)
 * and maps the variables PoP Fleet knows onto nodes; see docs/inventory.md for the mapping and precedence. Other
 * Ansible variables only warn, so a real Ansible inventory imports as it is.
 */
public final class IniInventoryParser implements InventoryParser {

    @Override
    public InventoryFormat format() {
        return InventoryFormat.INI;
    }

    @Override
    public ParsedInventory parse(byte[] content) throws InventoryRejectedException {
        Problems errors = new Problems();
        Problems warnings = new Problems();
        // As in Ansible, an empty file (or one of only comments) is an empty inventory, not a mistake.
        String text = InventoryText.decodeIni(content);
        IniDocument document = new IniDocument();
        IniReader.read(text, document, errors, warnings);
        IniReader.checkReferences(document, errors);
        IniResolver resolver = new IniResolver(document, errors);
        SortedMap<String, String> groups = resolver.groupDescriptions();
        List<NodeSpec> specs = new NodeSpecValidator(errors).validateAll(resolver.drafts());
        errors.throwIfAny();
        return new ParsedInventory(InventoryFormat.INI, List.copyOf(specs), Collections.unmodifiableSortedMap(groups),
                warnings.list());
    }
}
