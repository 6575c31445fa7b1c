package io.popfleet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.popfleet.nodetool.PopTool;

/**
 * In-process nodes' {@code pop backup}: each node answers with an archive of its own, made from one archive the real
 * node tool wrote on a pop-sim node (the same files, sizes and manifest format), with the node's own identity
 * ({@code node_info.json}: node id, token, registered IP) and {@code meta.txt}, and {@code MANIFEST.sha256}
 * recomputed. The node keeps what it made, prints it for the controller's {@code cat} of its path, and a test
 * compares the stored copy with {@link #made(int)}. Costs no bash per node, so 1,000 nodes back up in seconds.
 */
public final class BackupNodes implements RecordingNodes.PerNode {

    /** One archive a node made: its name, its path as the node reported it, its bytes and sha256, its identity. */
    public record Made(String name, String path, byte[] archive, String sha256, byte[] identity) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CAT = Pattern.compile("^exec cat -- \"\\$\\{POP_ROOT:-}\"'([^']+)'$");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final String IDENTITY = "identity/node_info.json";

    private final Map<String, byte[]> template;
    private final int templateSize;
    private final ObjectNode answer;
    private final String templateNodeId;
    private final String templateIp;
    private final String templateToken;
    private final Map<Integer, Made> latest = new ConcurrentHashMap<>();
    private final Map<String, Made> byPath = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();

    /**
     * @param archive a real {@code pop backup} archive (tar.gz)
     * @param answerData the {@code data} of the {@code pop --json backup} answer that made it
     */
    public BackupNodes(byte[] archive, String answerData) {
        try {
            template = untar(archive);
            templateSize = archive.length;
            answer = (ObjectNode) JSON.readTree(answerData);
            JsonNode identity = JSON.readTree(template.get(IDENTITY));
            templateNodeId = identity.path("node_id").asText();
            templateIp = identity.path("registered_ip").asText();
            templateToken = identity.path("token").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (templateNodeId.isEmpty() || templateIp.isEmpty() || templateToken.isEmpty()) {
            throw new IllegalArgumentException("the template archive's identity lacks node_id, registered_ip or token");
        }
    }

    /**
     * Lays out a pop-sim node in {@code dir} and runs the real {@code pop --json backup} there; writes the archive
     * and the answer's data as {@code template.tar.gz} and {@code template.json} beside it (a fleet in another JVM
     * reads them with {@link #read(Path)}).
     */
    public static BackupNodes fromRealNode(Path dir) throws IOException {
        Path node = dir.resolve("template-node");
        PopTool.initNode(node, 3);
        PopTool.Result made = PopTool.tree().on(node).run("--json", "backup");
        if (made.exitCode() != 0) {
            throw new IllegalStateException("pop backup on the template node failed: " + made);
        }
        // the path as the node reported it, under the simulated node's root
        byte[] archive = Files.readAllBytes(node.resolve(made.data().path("path").asText().substring(1)));
        Files.write(dir.resolve("template.tar.gz"), archive);
        Files.writeString(dir.resolve("template.json"), made.data().toString());
        PopTool.killNode(node);
        return new BackupNodes(archive, made.data().toString());
    }

    /** The template {@link #fromRealNode(Path)} wrote into {@code dir}. */
    public static BackupNodes read(Path dir) throws IOException {
        return new BackupNodes(Files.readAllBytes(dir.resolve("template.tar.gz")),
                Files.readString(dir.resolve("template.json")));
    }

    /** The real archive's size, the one every node's is made after. */
    public int templateSize() {
        return templateSize;
    }

    /** The newest archive node {@code index} made, if any. */
    public Optional<Made> made(int index) {
        return Optional.ofNullable(latest.get(index));
    }

    /** The identity a node has: its own node id, token and registered IP in the template's shape. */
    public static String nodeId(int index) {
        return UUID.nameUUIDFromBytes(("backup-node-" + index).getBytes(StandardCharsets.UTF_8)).toString();
    }

    @Override
    public String data(int index, String operation) {
        if (!"backup".equals(operation)) {
            return null;
        }
        Made made = make(index);
        ObjectNode data = answer.deepCopy();
        data.put("archive", made.name()).put("path", made.path()).put("sha256", made.sha256())
                .put("size_bytes", made.archive().length).put("node_id", nodeId(index));
        if (data.path("registration").isObject()) {
            ((ObjectNode) data.get("registration")).put("node_id", nodeId(index)).put("registered_ip", ip(index))
                    .put("current_ip", ip(index));
        }
        return data.toString();
    }

    @Override
    public byte[] output(int index, String command) {
        Matcher cat = CAT.matcher(command);
        if (!cat.matches()) {
            return null;
        }
        Made made = byPath.get(index + ":" + cat.group(1));
        return made == null ? null : made.archive();
    }

    private Made make(int index) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String id = nodeId(index);
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> file : template.entrySet()) {
            String text = new String(file.getValue(), StandardCharsets.UTF_8).replace(templateNodeId, id)
                    .replace(templateIp, ip(index)).replace(templateToken, token(index));
            if (file.getKey().equals("meta.txt")) {
                text = text.replaceAll("(?m)^created=.*$", "created=" + now);
            }
            files.put(file.getKey(), text.getBytes(StandardCharsets.UTF_8));
        }
        StringBuilder manifest = new StringBuilder();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (!file.getKey().equals("MANIFEST.sha256")) {
                manifest.append(sha256(file.getValue())).append("  ").append(file.getKey()).append('\n');
            }
        }
        files.put("MANIFEST.sha256", manifest.toString().getBytes(StandardCharsets.UTF_8));
        // a sequence number after the time, as the tool names two backups made in the same second
        String name = "pop-backup-" + STAMP.format(now) + "." + sequence.incrementAndGet() + "-" + id + ".tar.gz";
        String path = "/var/backups/pop/" + name;
        byte[] archive = targz(files, now);
        Made made = new Made(name, path, archive, sha256(archive), files.get(IDENTITY));
        latest.put(index, made);
        byPath.put(index + ":" + path, made);
        return made;
    }

    private static String ip(int index) {
        return "198.18." + (index / 250) + "." + (index % 250 + 1);
    }

    private static String token(int index) {
        return "sk_sim_" + sha256(("token-" + index).getBytes(StandardCharsets.UTF_8)).substring(0, 32);
    }

    /** A tar archive's regular files in order (the tool's archives hold nothing else but two directories). */
    private static Map<String, byte[]> untar(byte[] targz) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream tar = new GZIPInputStream(new java.io.ByteArrayInputStream(targz))) {
            byte[] header = new byte[512];
            while (tar.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replaceAll("\0.*", "");
                String octal = new String(header, 124, 12, StandardCharsets.US_ASCII).replaceAll("[\0 ]", "");
                long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
                byte[] content = tar.readNBytes((int) size);
                tar.skipNBytes((512 - size % 512) % 512);
                if (header[156] == '0' || header[156] == 0) {
                    files.put(name, content);
                }
            }
        }
        if (!files.containsKey(IDENTITY) || !files.containsKey("meta.txt") || !files.containsKey("MANIFEST.sha256")) {
            throw new IOException("not a pop backup archive: " + files.keySet());
        }
        return files;
    }

    private static byte[] targz(Map<String, byte[]> files, Instant mtime) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (GZIPOutputStream gzip = new GZIPOutputStream(bytes)) {
            List<String> order = new ArrayList<>(files.keySet());
            for (String name : order) {
                byte[] content = files.get(name);
                gzip.write(header(name, content.length, mtime.getEpochSecond()));
                gzip.write(content);
                gzip.write(new byte[(int) ((512 - content.length % 512) % 512)]);
            }
            gzip.write(new byte[1024]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A ustar header for a regular file, mode 0600, owned by root, as the tool's tar writes it. */
    private static byte[] header(String name, long size, long mtime) {
        byte[] h = new byte[512];
        put(h, 0, name);
        put(h, 100, "0000600");
        put(h, 108, "0000000");
        put(h, 116, "0000000");
        put(h, 124, String.format("%011o", size));
        put(h, 136, String.format("%011o", mtime));
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = '0';
        put(h, 257, "ustar");
        put(h, 263, "00");
        put(h, 265, "root");
        put(h, 297, "root");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum));
        h[154] = 0;
        return h;
    }

    private static void put(byte[] header, int at, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, header, at, bytes.length);
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
