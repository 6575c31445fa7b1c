package io.popfleet.inventory.importing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an INI inventory line by line into an {@link IniDocument}, as ansible-core's INI plugin does: section
 * headers, host lines with {@code key=value} words, {@code :vars} and {@code :children} sections. Checks each
 * variable where it is written, so a mistake in a group's vars is reported once, at its line. Unlike Ansible, which
 * stops at the first mistake, it reads on and reports them all.
 */
final class IniReader {

    /** Ansible's section pattern: only {@code #} starts a comment after a header. */
    private static final Pattern HEADER = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");
    /** Python's str.splitlines(): every line boundary Ansible splits the file on. */
    private static final Pattern LINE_BREAK = Pattern.compile(
            "\r\n|[\n\r\\x0B\\x0C\\x1C\\x1D\\x1E\\x{85}\\x{2028}\\x{2029}]");

    private enum Section { HOSTS, VARS, CHILDREN }

    private IniReader() {
    }

    static void read(String text, IniDocument document, Problems errors, Problems warnings) {
        Section section = Section.HOSTS;
        IniDocument.Group group = document.group(IniDocument.UNGROUPED, new SourcePosition(1, 1));
        String[] lines = LINE_BREAK.split(text, -1);
        for (int index = 0; index < lines.length; index++) {
            int lineNumber = index + 1;
            String line = lines[index];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            int indent = line.indexOf(trimmed.charAt(0)) + 1;
            SourcePosition at = new SourcePosition(lineNumber, indent);
            Matcher header = HEADER.matcher(trimmed);
            if (header.matches()) {
                String name = header.group(1);
                String type = header.group(2);
                if (refusesBadByte(line, name, lineNumber, errors)) {
                    section = null;
                    continue;
                }
                section = type == null ? Section.HOSTS : switch (type) {
                    case "hosts" -> Section.HOSTS;
                    case "vars" -> Section.VARS;
                    case "children" -> Section.CHILDREN;
                    default -> null;
                };
                if (section == null) {
                    errors.add(at, "section [" + name + ":" + type + "] has an unknown type ':" + type
                            + "' (expected :vars, :children or :hosts)");
                    continue;
                }
                if (!IniDocument.isImplicit(name) && NodeRules.group(name).isPresent()) {
                    errors.add(new SourcePosition(lineNumber, indent + 1), NodeRules.group(name).get());
                    section = null;
                    continue;
                }
                group = document.group(name, at);
                if (section == Section.VARS) {
                    document.varsHeaders.add(new Located(name, at));
                } else {
                    document.declared.add(name);
                }
                continue;
            }
            if (trimmed.startsWith("[") && trimmed.endsWith("]")) {
                errors.add(at, "malformed section header '" + trimmed + "' (expected [group], [group:vars] or "
                        + "[group:children], without spaces; a comment after it starts with #)");
                section = null;
                continue;
            }
            if (section == null) {
                continue; // inside a section whose header was refused; already reported
            }
            switch (section) {
                case HOSTS -> hostLine(line, lineNumber, group, document, errors, warnings);
                case VARS -> varsLine(trimmed, lineNumber, indent, group, errors, warnings);
                case CHILDREN -> childLine(trimmed, at, group, document, errors);
                default -> throw new IllegalStateException();
            }
        }
    }

    private static void hostLine(String line, int lineNumber, IniDocument.Group group, IniDocument document,
            Problems errors, Problems warnings) {
        List<IniTokens.Token> tokens;
        try {
            tokens = IniTokens.split(line);
        } catch (IniTokens.SyntaxError e) {
            errors.add(new SourcePosition(lineNumber, e.column), e.getMessage());
            return;
        }
        if (tokens.isEmpty()) {
            return;
        }
        for (IniTokens.Token token : tokens) {
            if (refusesBadByte(line, token.text(), lineNumber, errors)) {
                return;
            }
        }
        IniTokens.Token first = tokens.get(0);
        SourcePosition hostAt = new SourcePosition(lineNumber, first.column());
        if (Jinja.in(first.text())) {
            errors.add(hostAt, "host '" + first.text() + "' is a Jinja template: " + Jinja.NOT_EVALUATED);
            return;
        }
        HostPattern parsed = HostPattern.parse(first.text());
        if (first.text().strip().endsWith(":") && parsed.port() == null) {
            errors.add(hostAt, "host '" + first.text() + "' ends with ':' but no port follows (as in Ansible, "
                    + "':' is kept for host:port)");
            return;
        }
        List<String> names;
        try {
            names = HostRange.expand(parsed.pattern(), InventoryLimits.MAX_NODES);
        } catch (HostRange.RangeException e) {
            errors.add(hostAt, e.getMessage());
            return;
        }
        Map<String, Located> vars = new LinkedHashMap<>();
        for (IniTokens.Token token : tokens.subList(1, tokens.size())) {
            int eq = token.text().indexOf('=');
            SourcePosition tokenAt = new SourcePosition(lineNumber, token.column());
            if (eq <= 0) {
                errors.add(tokenAt, "expected key=value after the host name, found '" + token.text() + "'"
                        + (token.text().startsWith(";") ? " (a comment after a host starts with #, not ;)" : ""));
                continue;
            }
            String key = token.text().substring(0, eq);
            if (IniVariables.check(key, tokenAt, false, errors, warnings)) {
                SourcePosition valueAt = new SourcePosition(lineNumber, token.column() + eq + 1);
                String value = IniVariables.value(key, token.text().substring(eq + 1), false);
                if (IniVariables.isAnsible(key) && Jinja.in(value)) {
                    errors.add(valueAt, "'" + key + "' of host '" + first.text() + "' is a Jinja template: "
                            + Jinja.NOT_EVALUATED);
                    continue;
                }
                vars.put(key, new Located(value, valueAt));
            }
        }
        if (document.hosts.size() + names.size() > InventoryLimits.MAX_NODES) {
            errors.add(hostAt, "the file describes more than " + InventoryLimits.MAX_NODES + " hosts");
            return;
        }
        for (String name : names) {
            IniDocument.Host host = document.hosts.get(name);
            if (host == null) {
                host = document.host(name, hostAt);
                if (parsed.port() != null) {
                    host.vars.put("ansible_port", new Located(parsed.port(), new SourcePosition(lineNumber,
                            first.column() + first.text().length() - parsed.port().length())));
                }
            } else if (parsed.port() != null) {
                // Ansible keeps the port of a host's first line and silently drops a later one.
                errors.add(hostAt, "host '" + name + "' is already listed on " + host.position + "; give its port "
                        + "there (Ansible ignores ':" + parsed.port() + "' on a later line)");
            }
            host.vars.putAll(vars);
            if (!IniDocument.isImplicit(group.name)) {
                host.groups.add(group.name);
            }
        }
    }

    private static void varsLine(String trimmed, int lineNumber, int indent, IniDocument.Group group,
            Problems errors, Problems warnings) {
        SourcePosition at = new SourcePosition(lineNumber, indent);
        if (refusesBadByte(trimmed, trimmed, lineNumber, errors, indent - 1)) {
            return;
        }
        int eq = trimmed.indexOf('=');
        if (eq <= 0) {
            errors.add(at, "expected key=value in [" + group.name + ":vars], found '" + trimmed + "'");
            return;
        }
        String key = trimmed.substring(0, eq).strip();
        String raw = trimmed.substring(eq + 1);
        int valueColumn = indent + eq + 1 + (raw.length() - raw.stripLeading().length());
        String value = IniVariables.value(key, raw, true);
        if (IniVariables.check(key, at, true, errors, warnings)) {
            if (group.name.equals(IniDocument.ALL) && key.equals(IniVariables.DESCRIPTION)) {
                errors.add(at, IniVariables.DESCRIPTION + " cannot describe the implicit group 'all'");
                return;
            }
            SourcePosition valueAt = new SourcePosition(lineNumber, valueColumn);
            if (IniVariables.isAnsible(key) && Jinja.in(value)) {
                errors.add(valueAt, "'" + key + "' of group '" + group.name + "' is a Jinja template: "
                        + Jinja.NOT_EVALUATED);
                return;
            }
            group.vars.put(key, new Located(value, valueAt));
        }
    }

    private static void childLine(String trimmed, SourcePosition at, IniDocument.Group parent, IniDocument document,
            Problems errors) {
        Matcher m = GROUP_NAME.matcher(trimmed);
        if (!m.matches()) {
            errors.add(at, "expected one group name in [" + parent.name + ":children], found '" + trimmed + "'");
            return;
        }
        String child = m.group(1);
        if (refusesBadByte(trimmed, child, at.line(), errors, at.column() - 1)) {
            return;
        }
        if (IniDocument.isImplicit(child)) {
            errors.add(at, "'" + child + "' is Ansible's implicit group and cannot be a child of '" + parent.name
                    + "'");
            return;
        }
        var problem = NodeRules.group(child);
        if (problem.isPresent()) {
            errors.add(at, problem.get());
            return;
        }
        document.group(child, at);
        document.childLines.add(new Located(child, at));
        // Every group is already a child of all; ungrouped holds only hosts that are in no group.
        if (!IniDocument.isImplicit(parent.name)) {
            parent.children.add(new Located(child, at));
        }
    }

    private static boolean refusesBadByte(String line, String part, int lineNumber, Problems errors) {
        return refusesBadByte(line, part, lineNumber, errors, 0);
    }

    /**
     * Reports a byte that is not UTF-8 where it reaches a name or value ({@code part} of {@code line}); comments
     * may hold any bytes, as in Ansible.
     */
    private static boolean refusesBadByte(String line, String part, int lineNumber, Problems errors, int shift) {
        int inPart = InventoryText.badByte(part);
        if (inPart < 0) {
            return false;
        }
        char bad = part.charAt(inPart);
        int index = line.indexOf(bad);
        errors.add(new SourcePosition(lineNumber, shift + line.codePointCount(0, Math.max(index, 0)) + 1),
                InventoryText.badByteMessage(bad));
        return true;
    }

    /**
     * What Ansible refuses or only warns about once the whole file is read: a {@code [g:vars]} or a
     * {@code :children} line naming a group no {@code [g]} or {@code [g:children]} declares, and a host with a
     * group's name.
     */
    static void checkReferences(IniDocument document, Problems errors) {
        for (Located vars : document.varsHeaders) {
            if (!document.declared.contains(vars.value())) {
                errors.add(vars.position(), "[" + vars.value() + ":vars] is for group '" + vars.value()
                        + "', which no [" + vars.value() + "] or [" + vars.value() + ":children] section declares"
                        + (document.hosts.containsKey(vars.value()) ? " ('" + vars.value() + "' is a host: set "
                                + "host variables on its line)" : ""));
            }
        }
        for (Located child : document.childLines) {
            if (!document.declared.contains(child.value())) {
                errors.add(child.position(), document.hosts.containsKey(child.value())
                        ? "'" + child.value() + "' in a :children section is a host, not a group: list hosts in "
                                + "[group] sections"
                        : "'" + child.value() + "' in a :children section is not a group: declare it with ["
                                + child.value() + "] or [" + child.value() + ":children]");
            }
        }
        for (IniDocument.Host host : document.hosts.values()) {
            if (document.declared.contains(host.name)) {
                errors.add(host.position, "host '" + host.name + "' has the name of a group; Ansible warns that "
                        + "a pattern naming it is ambiguous: rename one");
            }
        }
    }
}
