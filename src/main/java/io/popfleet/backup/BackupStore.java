package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Where encrypted archives live, by the sha256 of their plaintext (content-addressed). The store sees only
 * ciphertext; keys and metadata are in PostgreSQL. {@link DirectoryBackupStore} is the default (under the data dir).
 * An S3-compatible store would implement this interface (put as a multipart upload committed under the key,
 * {@code open} as a ranged GET); none ships yet, since no S3-compatible server was at hand to test one against.
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

    Incoming create() throws IOException;

    Optional<InputStream> open(String sha256) throws IOException;

    boolean exists(String sha256);

    void delete(String sha256) throws IOException;

    /** Where the store is, in words, for the operator (a directory, a bucket). */
    String describe();
}
