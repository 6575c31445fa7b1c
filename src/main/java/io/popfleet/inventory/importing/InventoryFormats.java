package io.popfleet.inventory.importing;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Picks the format of an uploaded file and the parser for it. */
public final class InventoryFormats {

    private InventoryFormats() {
    }

    /**
     * The format by file extension ({@code .yaml}/{@code .yml} or {@code .ini}/{@code .cfg}), else by content: a
     * first meaningful line that is a YAML {@code key:} line or document marker means YAML; anything else (a
     * {@code [group]} header, a host line) means INI, Ansible's default format for files such as {@code hosts}.
     */
    public static InventoryFormat detect(String fileName, byte[] content) {
        String name = fileName == null ? "" : fileName.toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return InventoryFormat.YAML;
        }
        if (name.endsWith(".ini") || name.endsWith(".cfg")) {
            return InventoryFormat.INI;
        }
        return detect(content);
    }

    private static InventoryFormat detect(byte[] content) {
        // Only the head matters; decoding leniently is fine here, the parser checks the encoding properly.
        int length = Math.min(content == null ? 0 : content.length, 64 * 1024);
        String head = length == 0 ? "" : new String(content, 0, length, StandardCharsets.UTF_8);
        for (String raw : head.split("\n")) {
            String line = raw.strip().replace("\uFEFF", "");
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            boolean yaml = line.startsWith("---") || line.startsWith("%YAML") || line.startsWith("- ")
                    || line.startsWith("{")
                    || line.matches("[A-Za-z_][A-Za-z0-9_-]*\\s*:(\\s.*)?");
            return yaml ? InventoryFormat.YAML : InventoryFormat.INI;
        }
        return InventoryFormat.YAML;
    }

    public static InventoryParser parser(InventoryFormat format) {
        return switch (format) {
            case YAML -> new YamlInventoryParser();
            case INI -> new IniInventoryParser();
        };
    }

    /** Detects the format and parses in one step. */
    public static ParsedInventory parse(String fileName, byte[] content) throws InventoryRejectedException {
        return parser(detect(fileName, content)).parse(content);
    }
}
