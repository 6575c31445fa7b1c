package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Where encrypted archives live, by the sha256 of their plaintext (content-addressed). The store sees only
 * ciphertext; keys and metadata are in PostgreSQL. {@link DirectoryBackupStore} is the default (under the data dir);
 * {@link S3BackupStore} keeps them in an S3-compatible bucket.
 */
public interface BackupStore {

    /** An object being written: invisible until {@link #commit}; closing it uncommitted discards what was written. */
    interface Incoming extends AutoCloseable {
        OutputStream output();

        /** Makes the object readable as {@code sha256}; answers the bytes stored. */
        long commit(String sha256) throws IOException;

        @Override
        void close() throws IOException;
    }

    /**
     * The store could not be reached, or refused the controller as a whole (a network failure, a server error, a
     * credential the service rejects): it says nothing about any one archive, so it must never mark one bad.
     */
    final class Unavailable extends IOException {
        private static final long serialVersionUID = 1L;

        public Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    Incoming create() throws IOException;

    Optional<InputStream> open(String sha256) throws IOException;

    boolean exists(String sha256);

    void delete(String sha256) throws IOException;

    /** The sha256 of every archive the store holds, in no particular order (never one still being written). */
    List<String> list() throws IOException;

    /** A private local directory for the controller's own scratch files (test restores); never archives' names. */
    Path workDirectory();

    /** Where the store is, in words, for the operator (a directory, a bucket). */
    String describe();
}
