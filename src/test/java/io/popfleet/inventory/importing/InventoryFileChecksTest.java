package io.popfleet.inventory.importing;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static io.popfleet.inventory.importing.Inventories.messages;
import static io.popfleet.inventory.importing.Inventories.refusal;
import static org.assertj.core.api.Assertions.assertThat;

class InventoryFileChecksTest {

    private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

    private static List<String> problems(InventoryFormat format, byte[] content) {
        return messages(refusal(() -> InventoryFormats.parser(format).parse(content)));
    }

    @Test
    void refusesAnEmptyYamlFile() {
        assertThat(problems(InventoryFormat.YAML, new byte[0])).containsExactly("the file is empty");
        assertThat(problems(InventoryFormat.YAML, " \n\r\n\t\n".getBytes(StandardCharsets.UTF_8)))
                .containsExactly("the file is empty");
    }

    @Test
    void readsAnEmptyIniFileAsAnEmptyInventoryAsAnsibleDoes() throws Exception {
        for (String text : new String[] {"", " \n\r\n\t\n", "# only\n; comments\n"}) {
            ParsedInventory inventory = new IniInventoryParser().parse(text.getBytes(StandardCharsets.UTF_8));
            assertThat(inventory.nodes()).as("nodes of %s", text).isEmpty();
            assertThat(inventory.groups()).as("groups of %s", text).isEmpty();
        }
    }

    @Test
    void acceptsLatin1InIniCommentsAndRefusesItInANameOrValueWithLineAndColumn() throws Exception {
        byte[] comments = "# r\u00e9seau\n[g]\nh1 ansible_host=203.0.113.1 # caf\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(new IniInventoryParser().parse(comments).nodes()).extracting(NodeSpec::name).containsExactly("h1");

        byte[] values = "[g]\nh\u00e9 ansible_host=203.0.113.1\nh2 popfleet_notes=caf\u00e9\n[g:vars]\nx=\u00e9\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThat(problems(InventoryFormat.INI, values)).containsExactly(
                "line 2, column 2: byte 0xE9 is not UTF-8: save the file as UTF-8 (another encoding is accepted "
                        + "only in comments)",
                "line 3, column 22: byte 0xE9 is not UTF-8: save the file as UTF-8 (another encoding is accepted "
                        + "only in comments)",
                "line 5, column 3: byte 0xE9 is not UTF-8: save the file as UTF-8 (another encoding is accepted "
                        + "only in comments)");
    }

    @ParameterizedTest
    @EnumSource(InventoryFormat.class)
    void refusesABinaryFile(InventoryFormat format) {
        byte[] gzipHeader = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03};
        assertThat(problems(format, gzipHeader)).singleElement().asString().startsWith("not a text file");
        byte[] latin1 = "nodes:\n- name: h\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        if (format == InventoryFormat.YAML) {
            assertThat(problems(format, latin1)).containsExactly("not a text file: it is not valid UTF-8");
        }
        byte[] utf16 = "version: 1\n".getBytes(StandardCharsets.UTF_16LE);
        assertThat(problems(format, utf16)).singleElement().asString().startsWith("not a text file");
    }

    @ParameterizedTest
    @EnumSource(InventoryFormat.class)
    void refusesAFileOverTheSizeLimitWithoutReadingIt(InventoryFormat format) {
        byte[] big = new byte[InventoryLimits.MAX_BYTES + 1];
        assertThat(problems(format, big)).singleElement().asString().isEqualTo("the file is 10.0 MiB; the limit is 10 MiB");
        byte[] bigger = new byte[InventoryLimits.MAX_BYTES * 5 + 512 * 1024];
        assertThat(problems(format, bigger)).containsExactly("the file is 50.5 MiB; the limit is 10 MiB");
    }

    @Test
    void acceptsAUtf8ByteOrderMarkAndCrlfInBothFormats() throws Exception {
        byte[] yamlText = "version: 1\r\nnodes:\r\n  - name: a\r\n    host: 203.0.113.1\r\n    port: 70000\r\n"
                .getBytes(StandardCharsets.UTF_8);
        byte[] yaml = concat(BOM, yamlText);
        // Lines still count from the first line after the BOM.
        assertThat(problems(InventoryFormat.YAML, yaml))
                .containsExactly("line 5, column 11: port 70000 is out of range (1-65535)");
        byte[] ini = concat(BOM, "[g]\r\na ansible_host=203.0.113.1\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(new IniInventoryParser().parse(ini).nodes()).extracting(NodeSpec::name, NodeSpec::host)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", "203.0.113.1"));
    }

    @Test
    void detectsTheFormatByExtensionThenByContent() {
        byte[] yaml = "# comment\nversion: 1\nnodes: []\n".getBytes(StandardCharsets.UTF_8);
        byte[] ini = "# comment\n[group]\nhost1\n".getBytes(StandardCharsets.UTF_8);
        byte[] iniHostsFirst = "; comment\npop1.example.net:2222 ansible_user=pop\n".getBytes(StandardCharsets.UTF_8);

        assertThat(InventoryFormats.detect("fleet.YML", ini)).isEqualTo(InventoryFormat.YAML);
        assertThat(InventoryFormats.detect("hosts.ini", yaml)).isEqualTo(InventoryFormat.INI);
        assertThat(InventoryFormats.detect("hosts", yaml)).isEqualTo(InventoryFormat.YAML);
        assertThat(InventoryFormats.detect(null, ini)).isEqualTo(InventoryFormat.INI);
        assertThat(InventoryFormats.detect("inventory.txt", iniHostsFirst)).isEqualTo(InventoryFormat.INI);
        assertThat(InventoryFormats.detect("pasted", concat(BOM, yaml))).isEqualTo(InventoryFormat.YAML);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
