package io.popfleet.inventory.importing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Differential test against ansible-core: every INI file of the corpus (src/test/resources/ansible-ini, plus the
 * INI examples the docs show) is read by {@code ansible-inventory -i FILE --list} and by our parser. Where Ansible
 * accepts a file, we must give the same hosts, groups, membership, address, port and user; where it refuses it, or
 * only warns (a source it fails to parse, a host named like a group), we must refuse it with a line number. A file
 * whose first line is {@code # differs: TEXT} is a deliberate difference (docs/inventory.md lists them): Ansible
 * accepts it, and we must refuse it with a line and a message containing TEXT.
 *
 * <p>Skips when {@code ansible-inventory} is not installed. Ansible reads each file afresh (ansible-ini-list.py runs
 * ansible-inventory's own CLI once per file in one process); nothing is cached between runs.
 */
class AnsibleDifferentialTest {

    private static final Path CORPUS = Path.of("src/test/resources/ansible-ini");
    private static final Pattern DIFFERS = Pattern.compile("^# differs: (.+)$", Pattern.MULTILINE);
    private static final Pattern ANSIBLE_LINE = Pattern.compile(":(\\d+): ");
    /** Ansible's warning about '-' in group names is advice, not a refusal: every PoP Fleet group may have one. */
    private static final Pattern BENIGN_WARNING = Pattern.compile("Invalid characters were found in group names|"
            + "Use -vvvv to see details");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static final Map<String, AnsibleVerdict> VERDICTS = new TreeMap<>();

    /** What ansible-inventory made of one file. */
    record AnsibleVerdict(int exitCode, String stdout, String stderr) {
        boolean refused() {
            if (exitCode != 0) {
                return true;
            }
            return stderr.lines().filter(l -> l.startsWith("[WARNING]"))
                    .anyMatch(l -> !BENIGN_WARNING.matcher(l).find());
        }
    }

    /** One host as both sides should see it. */
    record Host(String address, String port, String user, Set<String> groups) {
    }

    @BeforeAll
    static void runAnsibleOnEveryFile() throws Exception {
        Path ansibleInventory = onPath("ansible-inventory");
        assumeThat(ansibleInventory).as("ansible-inventory is not installed (apt-get install ansible-core)")
                .isNotNull();
        work = Files.createTempDirectory("ansible-differential");
        Map<String, Path> files = corpus();
        // ansible-inventory's own CLI class, once per file, in one Python process (the interpreter its script
        // names): a process per file costs a second of CPU each for Python and Ansible to start.
        String shebang = Files.readAllLines(ansibleInventory.toRealPath()).get(0);
        List<String> command = new ArrayList<>(List.of(shebang.replaceFirst("^#!\\s*", "").strip().split("\\s+")));
        command.add(Path.of("src/test/resources/ansible-ini-list.py").toAbsolutePath().toString());
        Map<String, String> names = new HashMap<>();
        files.forEach((name, file) -> {
            command.add(file.toAbsolutePath().toString());
            names.put(file.toAbsolutePath().toString(), name);
        });
        Path out = work.resolve("list.jsonl");
        Path err = work.resolve("list.err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        // No ansible.cfg, no ~/.ansible, only the INI plugin, and a parse failure is an error, not a warning.
        env.put("HOME", work.toString());
        env.put("ANSIBLE_CONFIG", work.resolve("none.cfg").toString());
        env.put("ANSIBLE_INVENTORY_ENABLED", "ini");
        env.put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true");
        env.put("ANSIBLE_LOCAL_TEMP", work.toString());
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_DEPRECATION_WARNINGS", "false");
        Process process = pb.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ansible-inventory did not finish the corpus in 120 s");
        }
        assertThat(process.exitValue()).as("the batch driver failed: %s", Files.readString(err)).isZero();
        for (String line : Files.readAllLines(out)) {
            JsonNode result = JSON.readTree(line);
            VERDICTS.put(names.get(result.get("file").asText()), new AnsibleVerdict(result.get("rc").asInt(),
                    result.get("stdout").asText(), result.get("stderr").asText()));
        }
        assertThat(VERDICTS.keySet()).as("a verdict for every file").isEqualTo(files.keySet());
    }

    @AfterAll
    static void removeWorkDirectory() throws IOException {
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCorpusFileReadsAsAnsibleReadsIt() throws IOException {
        Map<String, Path> files = corpus();
        assertThat(files).as("corpus files").hasSizeGreaterThanOrEqualTo(40);
        return files.entrySet().stream().map(e -> DynamicTest.dynamicTest(e.getKey(), () -> compare(e.getKey(),
                Files.readAllBytes(e.getValue()))));
    }

    private static void compare(String name, byte[] content) throws Exception {
        AnsibleVerdict ansible = VERDICTS.get(name);
        String text = new String(content, StandardCharsets.ISO_8859_1);
        Matcher differs = DIFFERS.matcher(text);
        if (!name.endsWith(".ini") || name.startsWith("inventory/")) {
            assertThat(ansible.refused()).as("the example %s must be a file Ansible reads: %s", name,
                    ansible.stderr()).isFalse();
        }
        ParsedInventory ours = null;
        List<ImportProblem> problems = List.of();
        try {
            ours = new IniInventoryParser().parse(content);
        } catch (InventoryRejectedException e) {
            problems = e.problems();
        }
        if (ansible.refused() || differs.find()) {
            if (differs.find(0)) {
                assertThat(ansible.refused()).as("%s is marked '# differs' but Ansible refuses it too:%n%s", name,
                        ansible.stderr()).isFalse();
                assertThat(problems).as("%s: our problems", name).extracting(ImportProblem::message)
                        .anySatisfy(m -> assertThat(m).contains(differs.group(1).strip()));
            }
            assertThat(ours).as("%s: Ansible refuses it (%s), so must we", name, ansible.stderr().strip())
                    .isNull();
            assertThat(problems).as("%s: every refusal names a line", name)
                    .anySatisfy(p -> assertThat(p.line()).isPositive());
            Matcher line = ANSIBLE_LINE.matcher(ansible.stderr());
            if (ansible.exitCode() != 0 && line.find()) {
                assertThat(problems).as("%s: Ansible refuses line %s: %s", name, line.group(1), ansible.stderr())
                        .extracting(ImportProblem::line).contains(Integer.parseInt(line.group(1)));
            }
            return;
        }
        assertThat(problems).as("%s: Ansible accepts it, so must we", name).isEmpty();
        JsonNode list = JSON.readTree(ansible.stdout());
        assertThat(ourHosts(ours)).as("%s: hosts, address, port, user and groups", name)
                .isEqualTo(ansibleHosts(list));
        assertThat(new TreeSet<>(ours.groups().keySet())).as("%s: groups", name).isEqualTo(ansibleGroups(list));
    }

    private static Map<String, Host> ourHosts(ParsedInventory inventory) {
        Map<String, Host> hosts = new TreeMap<>();
        for (NodeSpec n : inventory.nodes()) {
            hosts.put(n.name(), new Host(n.host(), String.valueOf(n.sshPort()), n.sshUser(),
                    new TreeSet<>(n.groups())));
        }
        return hosts;
    }

    /** Ansible's view: merged hostvars, with the connection plugins' choice between old and new variable names. */
    private static Map<String, Host> ansibleHosts(JsonNode list) {
        Map<String, Set<String>> parents = new HashMap<>();
        Map<String, Set<String>> direct = new HashMap<>();
        list.fields().forEachRemaining(group -> {
            if (group.getKey().equals("_meta")) {
                return;
            }
            group.getValue().path("children").forEach(c -> parents.computeIfAbsent(c.asText(), k -> new TreeSet<>())
                    .add(group.getKey()));
            group.getValue().path("hosts").forEach(h -> direct.computeIfAbsent(h.asText(), k -> new TreeSet<>())
                    .add(group.getKey()));
        });
        // Every host is listed under a group; hostvars holds only the hosts that have variables.
        Map<String, Host> hosts = new TreeMap<>();
        direct.forEach((host, directGroups) -> {
            JsonNode vars = list.path("_meta").path("hostvars").path(host);
            Set<String> groups = new TreeSet<>();
            List<String> todo = new ArrayList<>(directGroups);
            while (!todo.isEmpty()) {
                String g = todo.remove(todo.size() - 1);
                if (groups.add(g)) {
                    todo.addAll(parents.getOrDefault(g, Set.of()));
                }
            }
            groups.removeAll(Set.of("all", "ungrouped"));
            hosts.put(host, new Host(first(vars, host, "ansible_ssh_host", "ansible_host"),
                    first(vars, "22", "ansible_ssh_port", "ansible_port"),
                    first(vars, NodeSpec.DEFAULT_SSH_USER, "ansible_ssh_user", "ansible_user"), groups));
        });
        return hosts;
    }

    private static String first(JsonNode vars, String fallback, String... names) {
        for (String name : names) {
            JsonNode value = vars.path(name);
            if (!value.isMissingNode() && !value.isNull()) {
                return value.asText();
            }
        }
        return fallback;
    }

    private static Set<String> ansibleGroups(JsonNode list) {
        Set<String> groups = new TreeSet<>();
        List<String> todo = new ArrayList<>(List.of("all"));
        while (!todo.isEmpty()) {
            String g = todo.remove(todo.size() - 1);
            if (groups.add(g)) {
                list.path(g).path("children").forEach(c -> todo.add(c.asText()));
            }
        }
        groups.removeAll(Set.of("all", "ungrouped"));
        return groups;
    }

    /** The corpus and the INI examples the project shows operators, by a display name. */
    private static Map<String, Path> corpus() throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> paths = Files.list(CORPUS)) {
            paths.filter(p -> p.toString().endsWith(".ini")).forEach(p -> files.put(p.getFileName().toString(), p));
        }
        files.put("inventory/hosts.example.ini", Path.of("inventory/hosts.example.ini"));
        files.put("docs/inventory.md (INI example)", docsExample());
        return files;
    }

    private static Path docsExample() throws IOException {
        String doc = Files.readString(Path.of("docs/inventory.md"));
        Matcher block = Pattern.compile("```ini\n(.*?)```", Pattern.DOTALL).matcher(doc);
        assertThat(block.find()).as("docs/inventory.md has an ```ini example").isTrue();
        Path dir = work != null ? work : Files.createTempDirectory("ansible-differential");
        Path file = dir.resolve("docs-inventory-example.ini");
        if (!Files.exists(file)) {
            Files.writeString(file, block.group(1));
        }
        return file;
    }

    private static Path onPath(String command) {
        String path = System.getenv("PATH");
        return path == null ? null : Stream.of(path.split(":")).map(d -> Path.of(d, command))
                .filter(Files::isExecutable).findFirst().orElse(null);
    }
}
