package io.popfleet.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 key that seals secrets at rest. From {@code POPFLEET_MASTER_KEY} (base64 of 32 bytes) when set,
 * otherwise from {@code <data-dir>/master.key}, created on first run with mode 0600. Its value is never logged,
 * never in the repository and never in the database it protects.
 */
public final class MasterKey {

    public static final String ENV = "POPFLEET_MASTER_KEY";
    public static final String FILE_NAME = "master.key";
    private static final int BYTES = 32;

    private MasterKey() {
    }

    public static SecretKey load(Map<String, String> env, Path dataDir) {
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return decode(fromEnv.trim(), ENV);
        }
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                create(file);
            }
            return decode(Files.readString(file, StandardCharsets.US_ASCII).trim(), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + file, e);
        }
    }

    /**
     * Writes the key so that a crash leaves either no key file or a complete one, never an empty one that blocks
     * start-up: a temp file (0600 from the start), fsynced, then linked to its name, which fails if another start
     * created the key first (that key then stands), and the directory fsynced so the name survives a power cut.
     */
    private static void create(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        Path temp = Files.createTempFile(dir, FILE_NAME + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap((Base64.getEncoder().encodeToString(key) + "\n")
                        .getBytes(StandardCharsets.US_ASCII)));
                channel.force(true);
            }
            try {
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException raced) {
                return;
            } catch (UnsupportedOperationException noHardLinks) {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            }
            try (FileChannel directory = FileChannel.open(dir, StandardOpenOption.READ)) {
                directory.force(true);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static SecretKey decode(String base64, String source) {
        if (base64.isEmpty()) {
            throw new IllegalStateException("master key in " + source + " is empty (a crash while it was first"
                    + " written?): restore it from a backup; delete it only if no secret was ever stored, since"
                    + " secrets sealed with the lost key cannot be opened");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("master key in " + source + " is not base64");
        }
        if (key.length != BYTES) {
            throw new IllegalStateException("master key in " + source + " must be 32 bytes, is " + key.length
                    + ": restore the complete key from a backup");
        }
        return new SecretKeySpec(key, "AES");
    }
}
