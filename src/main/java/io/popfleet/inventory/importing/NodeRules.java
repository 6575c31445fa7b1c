package io.popfleet.inventory.importing;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import io.popfleet.ssh.NodeTool;

/**
 * The rule for each node field, as operator-facing messages. Public so the REST layer validates a node edited by
 * hand exactly as an imported one.
 */
public final class NodeRules {

    /**
     * Node and group names: letters and digits of any script (Ansible inventories use UTF-8 names), '.', '_', '-'.
     * A node may also be named by its IPv6 address, as an Ansible host line may be.
     */
    public static final Pattern NAME = Pattern.compile("^[\\p{L}\\p{N}_][\\p{L}\\p{M}\\p{N}._-]{0,62}$");
    public static final Pattern SSH_USER = Pattern.compile("^[a-z_][a-z0-9_-]{0,31}$");
    public static final Pattern GROUP = NAME;
    /** Regions and tag keys stay ASCII: they end up in metric labels and filters typed on any keyboard. */
    public static final Pattern REGION = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");
    public static final Pattern TAG_KEY = REGION;
    public static final Pattern TAG_VALUE = Pattern.compile("^[A-Za-z0-9._:/@+-]{1,128}$");
    /** A name the controller's credential store resolves, never the secret itself. */
    public static final Pattern CREDENTIAL = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$");

    private NodeRules() {
    }

    public static Optional<String> name(String name) {
        return NAME.matcher(name).matches() || (name.indexOf(':') >= 0 && HostAddress.parseIpv6(name) != null)
                ? Optional.empty()
                : Optional.of("name '" + name + "' is not allowed (1-63 letters, digits, '.', '_' or '-', "
                        + "starting with a letter, digit or '_'; or an IPv6 address)");
    }

    public static Optional<String> host(String host) {
        return HostAddress.problem(host);
    }

    /** Parses a port written as text; the result is either the port or the reason it is not one. */
    static Optional<String> port(String text) {
        if (!text.matches("[0-9]{1,9}")) {
            return Optional.of("port '" + text + "' is not a number");
        }
        return port(Integer.parseInt(text));
    }

    public static Optional<String> port(int port) {
        return port >= 1 && port <= 65535 ? Optional.empty()
                : Optional.of("port " + port + " is out of range (1-65535)");
    }

    public static Optional<String> sshUser(String user) {
        return SSH_USER.matcher(user).matches() ? Optional.empty()
                : Optional.of("SSH user '" + user + "' does not match " + SSH_USER.pattern()
                        + " (lower-case letters, digits, '_' and '-', starting with a letter or '_')");
    }

    public static Optional<String> credential(String ref) {
        return CREDENTIAL.matcher(ref).matches() ? Optional.empty()
                : Optional.of("credential '" + ref + "' is not a valid credential name (letters, digits and "
                        + "._:/@+-, no spaces, up to 128 characters)");
    }

    public static Optional<String> region(String region) {
        return REGION.matcher(region).matches() ? Optional.empty()
                : Optional.of("region '" + region + "' is not allowed (1-63 letters, digits, '.', '_' or '-')");
    }

    public static Optional<String> wallet(String wallet) {
        return SolanaAddress.isValid(wallet) ? Optional.empty()
                : Optional.of("wallet '" + wallet + "' is not a Solana address (base58 without 0, O, I, l; "
                        + "32-44 characters encoding 32 bytes)");
    }

    /** A jump host names another inventory entry, so it follows the rule for names. */
    public static Optional<String> jump(String jump) {
        return NAME.matcher(jump).matches() ? Optional.empty()
                : Optional.of("jump host '" + jump + "' is not a node name (name the inventory entry of the bastion)");
    }

    /** {@code shipped} (upload the bundle) or {@code installed} (call the node's own pop, never upload). */
    public static Optional<String> nodeTool(String mode) {
        return NodeTool.Mode.fromCode(mode).isPresent() ? Optional.empty()
                : Optional.of("node tool '" + mode + "' is neither shipped nor installed");
    }

    /** An absolute path or a command name, without shell syntax ({@link NodeTool#pathProblem}). */
    public static Optional<String> nodeToolPath(String path) {
        return NodeTool.pathProblem(path);
    }

    public static Optional<String> notes(String notes) {
        return oneLine("notes", notes);
    }

    public static Optional<String> groupDescription(String group, String description) {
        return oneLine("description of group '" + group + "'", description);
    }

    /** One line of printable text: it reaches HTML pages and INI files, where a line break cannot be kept. */
    private static Optional<String> oneLine(String what, String text) {
        if (text.length() > InventoryLimits.MAX_NOTES_LENGTH) {
            return Optional.of(what + " is " + text.length() + " characters; the limit is "
                    + InventoryLimits.MAX_NOTES_LENGTH);
        }
        // U+2028/U+2029 are line breaks too, for YAML and for editors, though not ISO control characters.
        return text.chars().anyMatch(c -> Character.isISOControl(c) || c == 0x2028 || c == 0x2029)
                ? Optional.of(what + " must be one line without control characters")
                : Optional.empty();
    }

    public static Optional<String> group(String group) {
        if (!GROUP.matcher(group).matches()) {
            return Optional.of("group name '" + group + "' is not allowed (1-63 letters, digits, '.', '_' or '-', "
                    + "starting with a letter or digit)");
        }
        String lower = group.toLowerCase(Locale.ROOT);
        return lower.equals("all") || lower.equals("ungrouped")
                ? Optional.of("group name '" + group + "' is reserved (Ansible's implicit group)")
                : Optional.empty();
    }

    public static Optional<String> tagKey(String key) {
        return TAG_KEY.matcher(key).matches() ? Optional.empty()
                : Optional.of("tag '" + key + "' is not allowed (1-63 letters, digits, '.', '_' or '-', "
                        + "starting with a letter or digit)");
    }

    public static Optional<String> tagValue(String key, String value) {
        return TAG_VALUE.matcher(value).matches() ? Optional.empty()
                : Optional.of("tag value '" + value + "' of '" + key + "' is not allowed (1-128 letters, digits or "
                        + "._:/@+-)");
    }

    /** Reads the boolean spellings YAML 1.1 and Ansible both accept; {@code null} when it is not one. */
    static Boolean bool(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> Boolean.TRUE;
            case "false", "no", "off", "0" -> Boolean.FALSE;
            default -> null;
        };
    }
}
