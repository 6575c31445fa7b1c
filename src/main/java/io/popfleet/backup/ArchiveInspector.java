package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads a node's archive (tar.gz, docs/node-json.md {@code backup}) as a stream and accepts it only when it is what
 * the node tool makes: regular files from a fixed list, each matching {@code MANIFEST.sha256}, and no private key
 * anywhere. A community script once copied {@code ~/.config/solana/id.json} into its backups; an archive holding a
 * wallet keypair, by name or by content, is refused and never stored.
 */
final class ArchiveInspector {

    /** Facts the store keeps about an archive. */
    record Facts(List<String> files, String pipeNodeId, String identityFingerprint, String registeredIp,
            String binaryVersion, String toolVersion, Instant created) {
    }

    /** The archive is not one the controller keeps; the message says why, without the archive's contents. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    static final String IDENTITY = "identity/node_info.json";
    private static final Pattern ALLOWED = Pattern.compile(
            "MANIFEST\\.sha256|identity/node_info\\.json|meta\\.txt|wallet\\.txt|config/[A-Za-z0-9@._-]{1,100}");
    private static final int MAX_ENTRY = 256 * 1024;
    private static final int MAX_ENTRIES = 64;
    /** A Solana keypair file: a JSON array of 64 byte values. */
    private static final Pattern SOLANA_KEYPAIR = Pattern.compile("\\s*\\[\\s*(\\d{1,3}\\s*,\\s*){63}\\d{1,3}\\s*]\\s*");

    private ArchiveInspector() {
    }

    static Facts inspect(InputStream archive) throws IOException, Refused {
        Map<String, byte[]> files = new HashMap<>();
        List<String> order = new ArrayList<>();
        InputStream tar = new GZIPInputStream(archive);
        byte[] header = new byte[512];
        while (true) {
            if (tar.readNBytes(header, 0, 512) < 512) {
                throw new Refused("archive ends inside a tar header");
            }
            if (allZero(header)) {
                break;
            }
            String name = field(header, 0, 100);
            String prefix = "ustar".equals(field(header, 257, 5)) ? field(header, 345, 155) : "";
            String path = prefix.isEmpty() ? name : prefix + "/" + name;
            char type = (char) header[156];
            long size = octal(header, 124, 12);
            if (path.contains("solana") || path.endsWith("id.json")) {
                throw new Refused("archive holds " + printable(path) + ", a wallet keypair: never stored");
            }
            if (type == '5' && (path.equals("identity/") || path.equals("config/")) && size == 0) {
                continue;
            }
            if (type != '0' && type != '\0') {
                throw new Refused("archive holds " + printable(path) + ", not a regular file (type " + type + ")");
            }
            if (!ALLOWED.matcher(path).matches()) {
                throw new Refused("archive holds " + printable(path) + ", which the node tool never backs up");
            }
            if (size > MAX_ENTRY || files.size() >= MAX_ENTRIES || files.containsKey(path)) {
                throw new Refused("archive entry " + printable(path) + " is too large or repeated");
            }
            byte[] content = tar.readNBytes((int) size);
            if (content.length != size) {
                throw new Refused("archive ends inside " + printable(path));
            }
            tar.skipNBytes((512 - size % 512) % 512);
            if (holdsPrivateKey(content)) {
                throw new Refused(printable(path) + " holds a private key: never stored");
            }
            files.put(path, content);
            order.add(path);
        }
        checkManifest(files);
        Map<String, String> meta = keyValues(files.get("meta.txt"));
        byte[] identity = files.get(IDENTITY);
        return new Facts(List.copyOf(order), meta.get("node_id"), identity == null ? null : sha256(identity),
                blankToNull(meta.get("registered_ip")), blankToNull(meta.get("binary_version")),
                blankToNull(meta.get("tool_version")), instant(meta.get("created")));
    }

    private static void checkManifest(Map<String, byte[]> files) throws Refused {
        byte[] manifest = files.get("MANIFEST.sha256");
        if (manifest == null || !files.containsKey(IDENTITY)) {
            throw new Refused("archive lacks its manifest or the identity");
        }
        Map<String, String> listed = new HashMap<>();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                String[] parts = line.split(" [ *]", 2);
                if (parts.length != 2) {
                    throw new Refused("manifest line is not 'sha256  name'");
                }
                listed.put(parts[1].trim(), parts[0].trim());
            }
        }
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (!file.getKey().equals("MANIFEST.sha256")
                    && !sha256(file.getValue()).equals(listed.remove(file.getKey()))) {
                throw new Refused(printable(file.getKey()) + " does not match the archive's manifest");
            }
        }
        if (!listed.isEmpty()) {
            throw new Refused("manifest lists files the archive lacks: " + printable(String.join(", ",
                    listed.keySet())));
        }
    }

    private static boolean holdsPrivateKey(byte[] content) {
        String text = new String(content, StandardCharsets.ISO_8859_1);
        return text.contains("PRIVATE KEY") || SOLANA_KEYPAIR.matcher(text).matches();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    private static Map<String, String> keyValues(byte[] content) {
        Map<String, String> values = new HashMap<>();
        if (content != null) {
            for (String line : new String(content, StandardCharsets.UTF_8).split("\n")) {
                int eq = line.indexOf('=');
                if (eq > 0) {
                    values.put(line.substring(0, eq), line.substring(eq + 1).trim());
                }
            }
        }
        return values;
    }

    private static Instant instant(String text) {
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }

    private static boolean allZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String field(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] header, int offset, int length) throws Refused {
        String text = field(header, offset, length).trim();
        if (!text.matches("[0-7]{1,11}")) {
            throw new Refused("archive has a tar header with a bad size");
        }
        return Long.parseLong(text, 8);
    }

    /** Names from a node go into messages and logs: letters, digits and a few marks only. */
    private static String printable(String text) {
        String cut = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        return cut.replaceAll("[^A-Za-z0-9@._/, -]", "?");
    }
}
