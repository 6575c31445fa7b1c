package io.popfleet.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private static void create(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] key = new byte[BYTES];
        new SecureRandom().nextBytes(key);
        try {
            // created with 0600 from the start: there is no moment when another user could read it
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException raced) {
            return;
        }
        Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
    }

    private static SecretKey decode(String base64, String source) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("master key in " + source + " is not base64");
        }
        if (key.length != BYTES) {
            throw new IllegalStateException("master key in " + source + " must be 32 bytes, is " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }
}
