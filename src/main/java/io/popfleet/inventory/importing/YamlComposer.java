package io.popfleet.inventory.importing;

import java.io.StringReader;
import java.util.List;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Turns YAML text into SnakeYAML's node tree under safe limits, and SnakeYAML's errors into positioned problems.
 * Composing never constructs objects, so no tag in the file can instantiate a class.
 */
final class YamlComposer {

    private YamlComposer() {
    }

    /** The document's root node, or {@code null} for a file of only comments. */
    static Node compose(String text) throws InventoryRejectedException {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(InventoryLimits.MAX_BYTES);
        options.setNestingDepthLimit(20);
        // Anchors are refused with a position when read; this bound stops an alias bomb before that.
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setMergeOnCompose(false);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String reason = "not valid YAML: " + e.getProblem() + context(e);
            SourcePosition position = mark == null ? SourcePosition.UNKNOWN
                    : new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1);
            throw new InventoryRejectedException(List.of(ImportProblem.at(position, reason)));
        } catch (YAMLException e) {
            SourcePosition alias = firstAlias(text, options);
            if (alias != null) {
                throw new InventoryRejectedException(List.of(ImportProblem.at(alias,
                        "YAML anchors and aliases are not supported; use defaults or groups to share settings")));
            }
            throw Problems.rejection("not valid YAML: " + e.getMessage());
        }
    }

    /**
     * Where the first alias is, for the one refusal SnakeYAML reports without a position (too many aliases, the
     * billion-laughs guard). Walks parser events only, which never expand anything.
     */
    private static SourcePosition firstAlias(String text, LoaderOptions options) {
        try {
            for (Event event : new Yaml(options).parse(new StringReader(text))) {
                if (event instanceof AliasEvent) {
                    Mark mark = event.getStartMark();
                    return new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1);
                }
            }
        } catch (YAMLException e) {
            return null;
        }
        return null;
    }

    /** SnakeYAML's context, with where it began: an unclosed bracket is found lines after it was opened. */
    private static String context(MarkedYAMLException e) {
        if (e.getContext() == null) {
            return "";
        }
        Mark start = e.getContextMark();
        String where = start == null ? ""
                : " started on " + new SourcePosition(start.getLine() + 1, start.getColumn() + 1);
        String hint = e.getContext().contains("block") ? "; check the indentation" : "";
        return " (" + e.getContext() + where + hint + ")";
    }

}
