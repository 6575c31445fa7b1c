package io.popfleet.backup;

import java.io.Closeable;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Archives as objects {@code <prefix><sha[0..2]>/<sha>.pfb} in an S3-compatible bucket. A new archive is written
 * (already encrypted) to a 0600 file in the local work directory and uploaded only when it is whole, from that file
 * with its length known, so the upload streams from disk and a pull that fails before {@link Incoming#commit} sends
 * nothing. A PUT is atomic in S3; a multipart upload (archives over the part size) is completed only when every part
 * is in and aborted otherwise, so no failure leaves an object under an archive's name. Server-side encryption is not
 * asked for: the objects are AES-GCM ciphertext already ({@link ArchiveCipher}).
 */
final class S3BackupStore implements BackupStore, Closeable {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final long MIN_PART = 5L * 1024 * 1024;

    /** Where and how; the secret access key is apart, so this can be shown and logged. */
    record Settings(Optional<URI> endpoint, String region, String bucket, String prefix, boolean pathStyle,
            String accessKeyId, long partSize) {

        Settings {
            if (bucket == null || bucket.isBlank()) {
                throw new IllegalArgumentException("popfleet.backup.s3.bucket is required with the S3 backup store");
            }
            if (accessKeyId == null || accessKeyId.isBlank()) {
                throw new IllegalArgumentException(
                        "popfleet.backup.s3.access-key-id is required with the S3 backup store");
            }
            if (partSize < MIN_PART) {
                throw new IllegalArgumentException("popfleet.backup.s3.part-size must be at least 5 MiB (S3's"
                        + " smallest multipart part), is " + partSize);
            }
            prefix = prefix == null || prefix.isEmpty() || prefix.endsWith("/") ? nullToEmpty(prefix) : prefix + "/";
            if (prefix.startsWith("/")) {
                throw new IllegalArgumentException("popfleet.backup.s3.prefix must not start with '/'");
            }
        }

        private static String nullToEmpty(String text) {
            return text == null ? "" : text;
        }
    }

    private final S3Client s3;
    private final Settings settings;
    private final Path work;
    private final Path incoming;

    private S3BackupStore(S3Client s3, Settings settings, Path work) throws IOException {
        this.s3 = s3;
        this.settings = settings;
        this.work = work.toAbsolutePath();
        this.incoming = this.work.resolve("incoming");
        StoreDirectories.privateDirectory(this.work);
        StoreDirectories.incoming(incoming);
    }

    /** A store on the bucket; the secret goes into the client's credentials and nowhere else. */
    static S3BackupStore connect(Settings settings, String secretAccessKey, Path work) throws IOException {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .forcePathStyle(settings.pathStyle())
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(settings.accessKeyId(), secretAccessKey)))
                .httpClientBuilder(ApacheHttpClient.builder())
                // the newer SDKs send CRC trailers by default, which many S3-compatible servers refuse; the
                // archive's integrity is its own (AES-GCM tags, the sha256 re-hashed by verify)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        settings.endpoint().ifPresent(builder::endpointOverride);
        return new S3BackupStore(builder.build(), settings, work);
    }

    @Override
    public Incoming create() throws IOException {
        Path temp = Files.createTempFile(incoming, StoreDirectories.PART_PREFIX, StoreDirectories.PART_SUFFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        OutputStream file = Channels.newOutputStream(FileChannel.open(temp, StandardOpenOption.WRITE));
        return new Incoming() {
            private boolean closed;

            @Override
            public OutputStream output() {
                return file;
            }

            @Override
            public long commit(String sha256) throws IOException {
                String key = key(sha256);
                file.close();
                try {
                    long size = Files.size(temp);
                    upload(key, temp, size);
                    return size;
                } finally {
                    close();
                }
            }

            @Override
            public void close() throws IOException {
                if (!closed) {
                    closed = true;
                    file.close();
                    Files.deleteIfExists(temp);
                }
            }
        };
    }

    private void upload(String key, Path file, long size) throws IOException {
        try {
            if (size <= settings.partSize()) {
                s3.putObject(put -> put.bucket(settings.bucket()).key(key).contentLength(size),
                        RequestBody.fromFile(file));
                return;
            }
            String upload = s3.createMultipartUpload(create -> create.bucket(settings.bucket()).key(key))
                    .uploadId();
            try {
                List<CompletedPart> parts = new ArrayList<>();
                for (long offset = 0; offset < size; offset += settings.partSize()) {
                    int number = parts.size() + 1;
                    long length = Math.min(settings.partSize(), size - offset);
                    long from = offset;
                    String etag = s3.uploadPart(part -> part.bucket(settings.bucket()).key(key).uploadId(upload)
                            .partNumber(number).contentLength(length),
                            RequestBody.fromContentProvider(() -> slice(file, from, length), length,
                                    "application/octet-stream"))
                            .eTag();
                    parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
                }
                s3.completeMultipartUpload(complete -> complete.bucket(settings.bucket()).key(key).uploadId(upload)
                        .multipartUpload(done -> done.parts(parts)));
            } catch (RuntimeException e) {
                abort(key, upload, e);
                throw e;
            }
        } catch (SdkException e) {
            throw failure("upload of " + key + " to " + describe() + " failed", e);
        }
    }

    private void abort(String key, String upload, RuntimeException cause) {
        try {
            s3.abortMultipartUpload(abort -> abort.bucket(settings.bucket()).key(key).uploadId(upload));
        } catch (SdkException alsoFailed) {
            // the bucket's lifecycle rule for incomplete uploads is the backstop (docs/backups.md)
            cause.addSuppressed(alsoFailed);
        }
    }

    /** One part of the staged file, read from disk whenever the client (re)sends it. */
    private static InputStream slice(Path file, long offset, long length) {
        try {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            channel.position(offset);
            InputStream all = Channels.newInputStream(channel);
            return new InputStream() {
                private long left = length;

                @Override
                public int read() throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int b = all.read();
                    if (b >= 0) {
                        left--;
                    }
                    return b;
                }

                @Override
                public int read(byte[] into, int off, int len) throws IOException {
                    if (left <= 0) {
                        return -1;
                    }
                    int n = all.read(into, off, (int) Math.min(len, left));
                    if (n > 0) {
                        left -= n;
                    }
                    return n;
                }

                @Override
                public void close() throws IOException {
                    all.close();
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Optional<InputStream> open(String sha256) throws IOException {
        String key = key(sha256);
        InputStream body;
        try {
            body = s3.getObject(get -> get.bucket(settings.bucket()).key(key));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw failure("cannot read " + key + " from " + describe(), e);
        }
        // a connection lost while the body streams is the store's failure, not the archive's (verify must tell)
        return Optional.of(new FilterInputStream(body) {
            @Override
            public int read() throws IOException {
                try {
                    return super.read();
                } catch (IOException e) {
                    throw new Unavailable("reading " + key + " from " + describe() + " broke off: " + e, e);
                }
            }

            @Override
            public int read(byte[] into, int off, int len) throws IOException {
                try {
                    return super.read(into, off, len);
                } catch (IOException e) {
                    throw new Unavailable("reading " + key + " from " + describe() + " broke off: " + e, e);
                }
            }
        });
    }

    /**
     * No answer, a server error or a refused credential is the store's failure ({@link Unavailable}); anything else
     * (a 4xx about this object) is this request's.
     */
    private static IOException failure(String what, SdkException e) {
        if (e instanceof S3Exception answered && answered.statusCode() < 500 && answered.statusCode() != 401
                && answered.statusCode() != 403) {
            return new IOException(what + ": " + e.getMessage(), e);
        }
        return new Unavailable(what + ": " + e.getMessage(), e);
    }

    @Override
    public boolean exists(String sha256) {
        String key = key(sha256);
        try {
            s3.headObject(head -> head.bucket(settings.bucket()).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw new UncheckedIOException(failure("cannot look up " + key + " in " + describe(), e));
        } catch (SdkException e) {
            throw new UncheckedIOException(failure("cannot look up " + key + " in " + describe(), e));
        }
    }

    @Override
    public void delete(String sha256) throws IOException {
        String key = key(sha256);
        try {
            s3.deleteObject(delete -> delete.bucket(settings.bucket()).key(key));
        } catch (SdkException e) {
            throw failure("cannot delete " + key + " from " + describe(), e);
        }
    }

    @Override
    public List<String> list() throws IOException {
        List<String> found = new ArrayList<>();
        try {
            for (S3Object object : s3.listObjectsV2Paginator(list -> list.bucket(settings.bucket())
                    .prefix(settings.prefix())).contents()) {
                String rest = object.key().substring(settings.prefix().length());
                // <sha[0..2]>/<sha>.pfb, and nothing else an operator may keep under the prefix
                if (rest.length() == 3 + 64 + 4 && rest.charAt(2) == '/' && rest.endsWith(".pfb")) {
                    String sha = rest.substring(3, 3 + 64);
                    if (SHA256.matcher(sha).matches() && sha.startsWith(rest.substring(0, 2))) {
                        found.add(sha);
                    }
                }
            }
        } catch (SdkException e) {
            throw failure("cannot list " + describe(), e);
        }
        return found;
    }

    /** Multipart uploads begun under the prefix and neither completed nor aborted (a failure's leftovers). */
    int pendingUploads() {
        return s3.listMultipartUploads(list -> list.bucket(settings.bucket()).prefix(settings.prefix()))
                .uploads().size();
    }

    @Override
    public Path workDirectory() {
        return work;
    }

    /** Where this store keeps archives (no secret: that is in the client alone). */
    Settings settings() {
        return settings;
    }

    @Override
    public String describe() {
        return "s3://" + settings.bucket() + "/" + settings.prefix()
                + settings.endpoint().map(endpoint -> " at " + endpoint).orElse(" in " + settings.region());
    }

    @Override
    public void close() {
        s3.close();
    }

    /** The object of an archive; a name that is not a sha256 never becomes a key. */
    String key(String sha256) {
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("an archive's name must be a lowercase sha256");
        }
        return settings.prefix() + sha256.substring(0, 2) + "/" + sha256 + ".pfb";
    }
}
