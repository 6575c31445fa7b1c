package io.popfleet.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The controller's one {@link BackupStore}: a directory, by default under the data dir, or an S3-compatible bucket
 * ({@code popfleet.backup.store=s3}).
 */
public class BackupStoreProducer {

    /** The secret access key's variable; a setting would be shown and logged with the others. */
    static final String SECRET_ENV = "POPFLEET_BACKUP_S3_SECRET_ACCESS_KEY";

    @Produces
    @Singleton
    BackupStore store(BackupConfig config,
            @ConfigProperty(name = "popfleet.data-dir", defaultValue = "${user.home}/.popfleet") String dataDir) {
        Path dir = config.directory().map(Path::of).orElse(Path.of(dataDir, "backups"));
        try {
            if (config.store() == BackupConfig.StoreType.S3) {
                BackupConfig.S3 s3 = config.s3();
                S3BackupStore.Settings settings = new S3BackupStore.Settings(s3.endpoint().map(URI::create),
                        s3.region(), s3.bucket().orElse(null), s3.prefix().orElse(""), s3.pathStyle(),
                        s3.accessKeyId().orElse(null), s3.partSize());
                return S3BackupStore.connect(settings, secretAccessKey(System.getenv(), s3.secretAccessKeyFile()),
                        dir);
            }
            return new DirectoryBackupStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the backup store " + dir, e);
        }
    }

    void close(@Disposes BackupStore store) {
        if (store instanceof S3BackupStore s3) {
            s3.close();
        }
    }

    /**
     * The S3 secret from the environment, else from a file readable by the controller's user only (as ssh refuses
     * a private key others can read). The value is never part of a message.
     */
    static String secretAccessKey(Map<String, String> env, Optional<String> file) throws IOException {
        String fromEnv = env.get(SECRET_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        if (file.isEmpty()) {
            throw new IllegalStateException("the S3 backup store needs its secret access key: set " + SECRET_ENV
                    + " or popfleet.backup.s3.secret-access-key-file");
        }
        Path path = Path.of(file.get());
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        if (mode.stream().anyMatch(bit -> bit.name().startsWith("GROUP_") || bit.name().startsWith("OTHERS_"))) {
            throw new IllegalStateException("the S3 secret access key file " + path
                    + " is readable by others: chmod 600 it");
        }
        String secret = Files.readString(path, StandardCharsets.UTF_8).trim();
        if (secret.isEmpty()) {
            throw new IllegalStateException("the S3 secret access key file " + path + " is empty");
        }
        return secret;
    }
}
