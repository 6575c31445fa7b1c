package io.popfleet.inventory.importing;

import java.util.Map;
import java.util.Set;

/** How Ansible variable names map onto node fields, and which names are ours, foreign, or mistakes. */
final class IniVariables {

    static final String TAGS = "popfleet_tags";
    static final String DESCRIPTION = "popfleet_description";

    /** Field variables; Ansible's pre-2.0 {@code ansible_ssh_*} spellings still appear in old inventories. */
    static final Map<String, NodeField> FIELDS = Map.ofEntries(
            Map.entry("ansible_host", NodeField.HOST), Map.entry("ansible_ssh_host", NodeField.HOST),
            Map.entry("ansible_port", NodeField.PORT), Map.entry("ansible_ssh_port", NodeField.PORT),
            Map.entry("ansible_user", NodeField.USER), Map.entry("ansible_ssh_user", NodeField.USER),
            Map.entry("popfleet_credential", NodeField.CREDENTIAL), Map.entry("popfleet_region", NodeField.REGION),
            Map.entry("popfleet_wallet", NodeField.WALLET), Map.entry("popfleet_enabled", NodeField.ENABLED),
            Map.entry("popfleet_notes", NodeField.NOTES), Map.entry("popfleet_jump", NodeField.JUMP),
            Map.entry("popfleet_node_tool", NodeField.NODE_TOOL),
            Map.entry("popfleet_node_tool_path", NodeField.NODE_TOOL_PATH));

    /** The old spellings, which Ansible prefers over the new ones when a host has both. */
    static final Map<String, NodeField> LEGACY = Map.of("ansible_ssh_host", NodeField.HOST, "ansible_ssh_port",
            NodeField.PORT, "ansible_ssh_user", NodeField.USER);

    static final Set<String> POPFLEET_KEYS = Set.of("popfleet_credential", "popfleet_region", "popfleet_wallet",
            "popfleet_enabled", "popfleet_notes", "popfleet_jump", "popfleet_node_tool", "popfleet_node_tool_path", TAGS,
            DESCRIPTION);

    private static final Set<String> SUGGESTIBLE = Set.of("popfleet_credential", "popfleet_region",
            "popfleet_wallet", "popfleet_enabled", "popfleet_notes", "popfleet_jump", "popfleet_node_tool",
            "popfleet_node_tool_path", TAGS, DESCRIPTION, "ansible_host",
            "ansible_port",
            "ansible_user");
    private static final Map<String, String> SYNONYMS = Map.of("popfleet_host", "ansible_host", "popfleet_port",
            "ansible_port", "popfleet_user", "ansible_user", "popfleet_ssh_user", "ansible_user", "popfleet_tag", TAGS,
            "popfleet_key", "popfleet_credential", "popfleet_group_description", DESCRIPTION, "popfleet_bastion",
            "popfleet_jump");
    private static final String SECRET_HINT = " (PoP Fleet never reads secrets from inventory files: set "
            + "popfleet_credential to the name of a credential the controller holds)";

    private static final Set<String> SSH_OPTIONS = Set.of("ansible_ssh_common_args", "ansible_ssh_extra_args",
            "ansible_ssh_args");
    private static final String JUMP_HINT = " (PoP Fleet passes no SSH options; a node behind a ProxyJump bastion"
            + " names the bastion's inventory entry with popfleet_jump)";

    /** The kind of a variable, decided once where it is written so each line reports once. */
    enum Kind { FIELD, TAGS, DESCRIPTION, UNKNOWN_OURS, FOREIGN }

    private IniVariables() {
    }

    /** Ansible's own connection variables, whose values Ansible reads (and templates) itself. */
    static boolean isAnsible(String key) {
        return key.startsWith("ansible_");
    }

    /**
     * A value as written on a host line (already unquoted by the word splitter) or after '=' in a vars section.
     * Ansible's variables are read as Ansible reads them ({@link PyLiteral}: {@code 0x8ae} is port 2222,
     * {@code None} is unset); PoP Fleet's own are text, with one pair of quotes removed in a vars section, so
     * notes such as {@code None} or {@code 'quoted'} survive an export and re-import.
     */
    static String value(String key, String raw, boolean varsSection) {
        if (isAnsible(key)) {
            return PyLiteral.value(varsSection ? raw.strip() : raw);
        }
        return varsSection ? IniTokens.unquoteValue(raw) : raw;
    }

    private static boolean looksSecret(String key) {
        return key.contains("pass") || key.contains("private_key") || key.contains("key_file");
    }

    static Kind kind(String key) {
        if (FIELDS.containsKey(key)) {
            return Kind.FIELD;
        }
        if (key.equals(TAGS)) {
            return Kind.TAGS;
        }
        if (key.equals(DESCRIPTION)) {
            return Kind.DESCRIPTION;
        }
        return key.startsWith("popfleet_") ? Kind.UNKNOWN_OURS : Kind.FOREIGN;
    }

    /**
     * Reports a variable written at {@code position}: an unknown {@code popfleet_*} name is an error (a typo would
     * silently lose a setting), any other foreign variable a warning (real Ansible inventories must import).
     *
     * @return whether the variable is kept
     */
    static boolean check(String key, SourcePosition position, boolean groupLevel, Problems errors,
            Problems warnings) {
        switch (kind(key)) {
            case UNKNOWN_OURS -> {
                errors.add(position, "unknown variable '" + key + "'"
                        + Suggestions.didYouMean(key, SUGGESTIBLE, SYNONYMS));
                return false;
            }
            case DESCRIPTION -> {
                if (!groupLevel) {
                    errors.add(position, DESCRIPTION + " describes a group; set it in a [group:vars] section");
                    return false;
                }
                return true;
            }
            case FOREIGN -> {
                warnings.add(position, "variable '" + key + "' is not used by PoP Fleet and is ignored"
                        + (looksSecret(key) ? SECRET_HINT : "") + (SSH_OPTIONS.contains(key) ? JUMP_HINT : ""));
                return false;
            }
            default -> {
                return true;
            }
        }
    }
}
