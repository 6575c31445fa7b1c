package io.popfleet.backup;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Fleet identity backups: where archives go, how they are pulled, and the jobs that keep them (docs/backups.md). */
@ConfigMapping(prefix = "popfleet.backup")
public interface BackupConfig {

    /** Where archives are kept: {@code directory} (default) or {@code s3} (an S3-compatible bucket, {@link #s3()}). */
    @WithDefault("directory")
    StoreType store();

    /**
     * The store's directory; default {@code <popfleet.data-dir>/backups}. With the S3 store it holds only uploads
     * in progress (ciphertext) and the scratch directories of test restores.
     */
    Optional<String> directory();

    /** The S3-compatible store; read only when {@link #store()} is {@code s3}. */
    S3 s3();

    /** Archives pulled at once by this controller. */
    @WithDefault("8")
    int pullConcurrency();

    /** The largest archive pulled (the node tool's are a few KiB: an identity and some settings). */
    @WithDefault("16777216")
    int maxArchiveBytes();

    /** Time one pull may take once connected. */
    @WithDefault("60s")
    Duration pullTimeout();

    /** Scheduled backups, retention and verification (off in tests, which run the jobs by hand). */
    @WithDefault("true")
    boolean jobsEnabled();

    /** How often the backup scheduler looks for groups that are due (read by its {@code @Scheduled}). */
    @WithDefault("5m")
    Duration tick();

    /** The scheduler's first look after start (the demo makes it 40 s, so the tour shows stored backups). */
    @WithDefault("2m")
    Duration firstTick();

    /** Archives restored into a scratch simulated node in each verification pass (0: none). */
    @WithDefault("3")
    int testRestoreSample();

    /** How often stored archives are re-hashed. */
    @WithDefault("24h")
    Duration verifyInterval();

    enum StoreType {
        DIRECTORY, S3
    }

    /**
     * An S3-compatible bucket. The secret access key is not a setting (settings are shown and logged): it comes from
     * the environment variable {@code POPFLEET_BACKUP_S3_SECRET_ACCESS_KEY} or the file {@link #secretAccessKeyFile}.
     */
    interface S3 {
        /** The service's URL, e.g. {@code https://minio.internal:9000}; none: AWS S3 for {@link #region}. */
        Optional<String> endpoint();

        @WithDefault("us-east-1")
        String region();

        Optional<String> bucket();

        /** A key prefix inside the bucket, e.g. {@code popfleet/}; empty: the bucket's root. */
        Optional<String> prefix();

        /** {@code https://host/bucket/key} rather than {@code https://bucket.host/key} (most self-hosted servers). */
        @WithDefault("false")
        boolean pathStyle();

        Optional<String> accessKeyId();

        /** A file (0600) holding the secret access key, e.g. a mounted Kubernetes Secret or systemd credential. */
        Optional<String> secretAccessKeyFile();

        /** Archives larger than this go up as a multipart upload of parts this size (S3's minimum is 5 MiB). */
        @WithDefault("16777216")
        long partSize();
    }
}
