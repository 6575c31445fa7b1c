package io.popfleet.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

/**
 * The local directories a store works in: private to the controller's user, and an {@code incoming/} where an
 * archive is written until it is whole. A controller killed mid-pull leaves its part file there; the next start
 * sweeps what is older than {@link #ABANDONED}, which no pull in progress can be (each has a deadline of
 * minutes), so a store shared by several controllers never loses another's transfer.
 */
final class StoreDirectories {

    static final Duration ABANDONED = Duration.ofDays(1);
    static final String PART_PREFIX = "pull-";
    static final String PART_SUFFIX = ".part";

    private static final Logger LOG = Logger.getLogger(StoreDirectories.class);

    private StoreDirectories() {
    }

    static void privateDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        }
    }

    /** {@code dir} made private, with the part files of pulls abandoned before {@code now - ABANDONED} removed. */
    static void incoming(Path dir) throws IOException {
        privateDirectory(dir);
        int swept = sweep(dir, Instant.now().minus(ABANDONED));
        if (swept > 0) {
            LOG.infof("removed %d part file(s) of pulls abandoned over %d hours ago from %s", swept,
                    ABANDONED.toHours(), dir);
        }
    }

    /** Removes the part files in {@code dir} last written before {@code before}; anything else is left. */
    private static int sweep(Path dir, Instant before) throws IOException {
        int swept = 0;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith(PART_PREFIX) && name.endsWith(PART_SUFFIX) && Files.isRegularFile(file)
                        && Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    try {
                        Files.deleteIfExists(file);
                        swept++;
                    } catch (IOException e) {
                        // a leftover that cannot go is a warning, never a store that will not open
                        LOG.warnf("cannot remove the abandoned part file %s: %s", file, e.getMessage());
                    }
                }
            }
        }
        return swept;
    }
}
