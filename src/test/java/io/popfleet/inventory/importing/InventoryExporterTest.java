package io.popfleet.inventory.importing;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class InventoryExporterTest {

    private final InventoryExporter exporter = new InventoryExporter();

    private static NodeSpec spec(String name, String host, int port, String user, String credential, boolean enabled,
            String region, String wallet, String notes, List<String> groups, String... tags) {
        SortedMap<String, String> tagMap = new TreeMap<>();
        for (String tag : tags) {
            int eq = tag.indexOf('=');
            tagMap.put(eq < 0 ? tag : tag.substring(0, eq), eq < 0 ? null : tag.substring(eq + 1));
        }
        return new NodeSpec(name, host, port, user, credential, enabled, region, wallet, notes, null, null, null, groups, tagMap,
                SourcePosition.UNKNOWN);
    }

    /** Awkward but valid values: text that reads as another YAML type, quotes, '#', IPv6, empty groups. */
    private static List<NodeSpec> awkwardNodes() {
        return List.of(
                spec("zz-last", "2001:db8::5", 22, "popfleet", null, true, null, null, null, List.of()),
                spec("pop-1", "203.0.113.1", 2222, "pipe", "fleet/key:1", false, "no",
                        "4B2sVhKZWWECcg1udXpgKquhRZFiw6wTpEcRzwK4L9hS", "it's \"quoted\" # not a comment; 100%",
                        List.of("canary", "eu"), "gold", "true", "provider=ovh", "n=123"),
                spec("pop-2.example.net", "pop-2.example.net", 22, "_svc", "k", true, "eu-west", null, "  spaced  ",
                        List.of("eu")),
                spec("123", "198.51.100.7", 65535, "popfleet", null, true, "null", null, "yes",
                        List.of("eu"), "on"));
    }

    private static SortedMap<String, String> awkwardGroups() {
        SortedMap<String, String> groups = new TreeMap<>();
        groups.put("eu", "Europe: \"west\" & 'east' # all");
        groups.put("canary", null);
        groups.put("empty", "nobody here yet");
        return groups;
    }

    /** Every corpus string that a note or a description may hold, as both: it must come back byte for byte. */
    @ParameterizedTest
    @EnumSource(InventoryFormat.class)
    void hostileButValidTextSurvivesARoundTripInEveryFormat(InventoryFormat format) throws Exception {
        List<NodeSpec> nodes = new java.util.ArrayList<>();
        SortedMap<String, String> groups = new TreeMap<>();
        int i = 0;
        for (io.popfleet.hostile.HostileCorpus.Hostile h : io.popfleet.hostile.HostileCorpus.all()) {
            String text = h.text();
            if (!h.validUtf8() || text.isEmpty() || NodeRules.notes(text).isPresent()
                    || NodeRules.groupDescription("g" + i, text).isPresent()) {
                continue;
            }
            groups.put("g" + i, text);
            nodes.add(spec("n" + i, "203.0.113." + (i % 250 + 1), 22, "popfleet", null, true, null, null, text,
                    List.of("g" + i)));
            i++;
        }
        assertThat(nodes).as("corpus strings that are valid notes").hasSizeGreaterThan(40);
        String text = exporter.export(nodes, groups, format);

        ParsedInventory back = InventoryFormats.parser(format).parse(text.getBytes(StandardCharsets.UTF_8));

        assertThat(back.nodes()).map(Inventories::positionless).containsExactlyInAnyOrderElementsOf(nodes);
        assertThat(back.groups()).isEqualTo(groups);
        assertThat(exporter.export(back, format)).isEqualTo(text);
    }

    /** Values stored before one-line checks existed: the INI writer itself must not let them add a line. */
    @Test
    void anIniExportNeverLetsAStoredValueAddAHostLineOrAllVars() throws Exception {
        String injection = "x\n[all:vars]\nansible_ssh_common_args='-o ProxyCommand=id'\r\nevil ansible_host=127.0.0.1";
        SortedMap<String, String> groups = new TreeMap<>(java.util.Map.of("eu", injection));
        List<NodeSpec> nodes = List.of(spec("pop-1", "203.0.113.1", 22, "popfleet", null, true, null, null,
                injection + "\u2028more", List.of("eu")));

        String text = exporter.export(nodes, groups, InventoryFormat.INI);
        ParsedInventory back = new IniInventoryParser().parse(text.getBytes(StandardCharsets.UTF_8));

        assertThat(text.lines()).noneMatch(line -> line.startsWith("[all") || line.startsWith("evil"));
        assertThat(back.nodes()).extracting(NodeSpec::name).containsExactly("pop-1");
        assertThat(back.groups().keySet()).containsExactly("eu");
        assertThat(back.groups().get("eu")).doesNotContain("\n").contains("[all:vars]");
    }

    @ParameterizedTest
    @EnumSource(InventoryFormat.class)
    void parsingTheExportYieldsTheSameNodesAndGroups(InventoryFormat format) throws Exception {
        String text = exporter.export(awkwardNodes(), awkwardGroups(), format);

        ParsedInventory back = InventoryFormats.parser(format).parse(text.getBytes(StandardCharsets.UTF_8));

        assertThat(back.nodes()).map(Inventories::positionless)
                .containsExactlyInAnyOrderElementsOf(awkwardNodes());
        assertThat(back.groups()).isEqualTo(awkwardGroups());
        assertThat(back.warnings()).isEmpty();
        assertThat(exporter.export(back, format)).isEqualTo(text);
    }

    @ParameterizedTest
    @EnumSource(InventoryFormat.class)
    void exportIsDeterministicWhateverTheInputOrder(InventoryFormat format) {
        List<NodeSpec> reversed = new java.util.ArrayList<>(awkwardNodes());
        java.util.Collections.reverse(reversed);

        String first = exporter.export(awkwardNodes(), awkwardGroups(), format);
        String second = exporter.export(reversed, awkwardGroups(), format);

        assertThat(second).isEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(InventoryFormat.class)
    void examplesSurviveConversionToEitherFormat(InventoryFormat target) throws Exception {
        for (String example : List.of("inventory/fleet.example.yaml", "inventory/hosts.example.ini")) {
            byte[] content = Files.readAllBytes(Path.of(example));
            ParsedInventory original = InventoryFormats.parse(example, content);

            String exported = exporter.export(original, target);
            ParsedInventory back = InventoryFormats.parser(target).parse(exported.getBytes(StandardCharsets.UTF_8));

            assertThat(back.nodes()).map(Inventories::positionless)
                    .containsExactlyInAnyOrderElementsOf(
                            original.nodes().stream().map(Inventories::positionless).toList());
            assertThat(back.groups()).isEqualTo(original.groups());
        }
    }
}
