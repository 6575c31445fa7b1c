package io.popfleet.inventory.importing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an INI inventory line by line into an {@link IniDocument}, as Ansible's INI plugin does: section headers,
 * host lines with {@code key=value} words, {@code :vars} and {@code :children} sections. Checks each variable
 * where it is written, so a mistake in a group's vars is reported once, at its line.
 */
final class IniReader {

    private static final Pattern HEADER = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?]\\s*(?:[#;].*)?$");
    private static final Pattern PORT_SUFFIX = Pattern.compile("^(.*[^:]):([0-9]+)$");

    private enum Section { HOSTS, VARS, CHILDREN }

    private IniReader() {
    }

    static void read(String text, IniDocument document, Problems errors, Problems warnings) {
        Section section = Section.HOSTS;
        IniDocument.Group group = null; // null: hosts before any section, which Ansible calls ungrouped
        String[] lines = text.split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            int lineNumber = index + 1;
            String line = lines[index].endsWith("\r") ? lines[index].substring(0, lines[index].length() - 1)
                    : lines[index];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.startsWith(";")) {
                continue;
            }
            int indent = line.indexOf(trimmed.charAt(0)) + 1;
            SourcePosition at = new SourcePosition(lineNumber, indent);
            if (trimmed.startsWith("[")) {
                Matcher header = HEADER.matcher(trimmed);
                if (!header.matches()) {
                    errors.add(at, "malformed section header '" + trimmed + "' (expected [group], [group:vars] or "
                            + "[group:children])");
                    section = null;
                    continue;
                }
                String name = header.group(1);
                String type = header.group(2);
                section = type == null ? Section.HOSTS : switch (type) {
                    case "vars" -> Section.VARS;
                    case "children" -> Section.CHILDREN;
                    default -> null;
                };
                if (section == null) {
                    errors.add(at, "unknown section type ':" + type + "' (expected :vars or :children)");
                    continue;
                }
                if (!IniDocument.isImplicit(name) && NodeRules.group(name).isPresent()) {
                    errors.add(new SourcePosition(lineNumber, indent + 1), NodeRules.group(name).get());
                    section = null;
                    continue;
                }
                group = document.group(name, at);
                continue;
            }
            if (section == null) {
                continue; // inside a section whose header was refused; already reported
            }
            switch (section) {
                case HOSTS -> hostLine(line, lineNumber, group, document, errors, warnings);
                case VARS -> varsLine(line, trimmed, lineNumber, indent, group, errors, warnings);
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
        IniTokens.Token first = tokens.get(0);
        SourcePosition hostAt = new SourcePosition(lineNumber, first.column());
        String pattern = first.text();
        Located portFromPattern = null;
        Matcher withPort = PORT_SUFFIX.matcher(pattern);
        if (withPort.matches() && withPort.group(1).replaceAll("\\[[^]]*]", "").indexOf(':') < 0) {
            pattern = withPort.group(1);
            portFromPattern = new Located(withPort.group(2),
                    new SourcePosition(lineNumber, first.column() + pattern.length() + 1));
        }
        List<String> names;
        try {
            names = HostRange.expand(pattern, InventoryLimits.MAX_NODES);
        } catch (HostRange.RangeException e) {
            errors.add(hostAt, e.getMessage());
            return;
        }
        Map<String, Located> vars = new LinkedHashMap<>();
        if (portFromPattern != null) {
            vars.put("ansible_port", portFromPattern);
        }
        for (IniTokens.Token token : tokens.subList(1, tokens.size())) {
            int eq = token.text().indexOf('=');
            SourcePosition tokenAt = new SourcePosition(lineNumber, token.column());
            if (eq <= 0) {
                errors.add(tokenAt, "expected key=value after the host name, found '" + token.text() + "'");
                continue;
            }
            String key = token.text().substring(0, eq);
            if (IniVariables.check(key, tokenAt, false, errors, warnings)) {
                vars.put(key, new Located(token.text().substring(eq + 1),
                        new SourcePosition(lineNumber, token.column() + eq + 1)));
            }
        }
        if (document.hosts.size() + names.size() > InventoryLimits.MAX_NODES) {
            errors.add(hostAt, "the file describes more than " + InventoryLimits.MAX_NODES + " hosts");
            return;
        }
        for (String name : names) {
            IniDocument.Host host = document.host(name, hostAt);
            host.vars.putAll(vars);
            if (group != null && !IniDocument.isImplicit(group.name)) {
                host.groups.add(group.name);
            }
        }
    }

    private static void varsLine(String line, String trimmed, int lineNumber, int indent, IniDocument.Group group,
            Problems errors, Problems warnings) {
        SourcePosition at = new SourcePosition(lineNumber, indent);
        int eq = trimmed.indexOf('=');
        if (eq <= 0) {
            errors.add(at, "expected key=value in [" + group.name + ":vars], found '" + trimmed + "'");
            return;
        }
        String key = trimmed.substring(0, eq).strip();
        String raw = trimmed.substring(eq + 1);
        int valueColumn = indent + eq + 1 + (raw.length() - raw.stripLeading().length());
        String value = IniTokens.unquoteValue(raw);
        if (IniVariables.check(key, at, true, errors, warnings)) {
            if (group.name.equals(IniDocument.ALL) && key.equals(IniVariables.DESCRIPTION)) {
                errors.add(at, IniVariables.DESCRIPTION + " cannot describe the implicit group 'all'");
                return;
            }
            group.vars.put(key, new Located(value, new SourcePosition(lineNumber, valueColumn)));
        }
    }

    private static void childLine(String trimmed, SourcePosition at, IniDocument.Group parent, IniDocument document,
            Problems errors) {
        String child = trimmed.split("[\\s#;]", 2)[0];
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
        // Every group is already a child of all; ungrouped holds only hosts that are in no group.
        if (!IniDocument.isImplicit(parent.name)) {
            parent.children.add(new Located(child, at));
        }
    }
}
