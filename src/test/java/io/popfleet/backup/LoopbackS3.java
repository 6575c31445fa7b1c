package io.popfleet.backup;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real S3-compatible server on 127.0.0.1 at a free port: S3Proxy's S3 front end (SigV4 checked) over jclouds'
 * in-memory blob store, in a child JVM ({@link LoopbackS3Main}). Each instance has its own credentials and one
 * empty bucket; tests share one ({@link #shared}) and keep apart by key prefix, since a JVM costs seconds.
 */
final class LoopbackS3 implements AutoCloseable {

    private static LoopbackS3 shared;

    /** The test JVM's one server, started on first use; it exits with this JVM (its stdin closes). */
    static synchronized LoopbackS3 shared() throws Exception {
        if (shared == null) {
            shared = new LoopbackS3();
        }
        return shared;
    }

    final String accessKeyId = "popfleet-test";
    final String secretAccessKey = UUID.randomUUID().toString();
    final String bucket = "popfleet-backups";
    private final Process process;
    private final Path log;
    private final int port;

    LoopbackS3() throws Exception {
        log = Files.createTempFile("loopback-s3-", ".log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classPath(),
                LoopbackS3Main.class.getName(), accessKeyId, bucket)
                .redirectError(log.toFile());
        builder.environment().put(LoopbackS3Main.SECRET_ENV, secretAccessKey);
        process = builder.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        String line;
        try {
            line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("S3Proxy did not start: " + Files.readString(log), e);
        }
        if (line == null || !line.startsWith("port ")) {
            process.destroyForcibly();
            throw new IllegalStateException("S3Proxy did not start: " + line + "\n" + Files.readString(log));
        }
        port = Integer.parseInt(line.substring("port ".length()).trim());
    }

    /**
     * The test class path without Maven's Guice 5 (the Quarkus test bootstrap's), which would shadow the Guice 7
     * jclouds needs. Surefire gives the real path in {@code surefire.test.class.path} (its own is a manifest jar).
     */
    private static String classPath() {
        String all = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.stream(all.split(File.pathSeparator))
                .filter(entry -> !entry.matches(".*/guice-[0-9.]+-classes\\.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    S3BackupStore.Settings settings(String prefix, long partSize) {
        return new S3BackupStore.Settings(Optional.of(endpoint()), "us-east-1", bucket, prefix, true, accessKeyId,
                partSize);
    }

    @Override
    public void close() throws Exception {
        process.getOutputStream().close();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
        Files.deleteIfExists(log);
    }
}
