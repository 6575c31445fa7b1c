package io.popfleet.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The controller's one {@link BackupStore}: a directory, by default under the data dir. */
public class BackupStoreProducer {

    @Produces
    @Singleton
    BackupStore store(BackupConfig config,
            @ConfigProperty(name = "popfleet.data-dir", defaultValue = "${user.home}/.popfleet") String dataDir) {
        Path dir = config.directory().map(Path::of).orElse(Path.of(dataDir, "backups"));
        try {
            return new DirectoryBackupStore(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the backup store " + dir, e);
        }
    }
}
