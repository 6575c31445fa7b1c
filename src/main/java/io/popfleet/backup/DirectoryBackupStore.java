package io.popfleet.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Archives as files {@code <dir>/<sha[0..2]>/<sha>.pfb} (mode 0600, directories 0700). A new object is written to
 * {@code <dir>/incoming/} and moved into place only when whole, fsynced, so a crash or a dropped transfer never
 * leaves a partial file under an archive's name.
 */
final class DirectoryBackupStore implements BackupStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern SHARD = Pattern.compile("[0-9a-f]{2}");

    private final Path root;

    DirectoryBackupStore(Path root) throws IOException {
        this.root = root.toAbsolutePath();
        StoreDirectories.privateDirectory(this.root);
        StoreDirectories.incoming(this.root.resolve("incoming"));
    }

    @Override
    public Incoming create() throws IOException {
        Path temp = Files.createTempFile(root.resolve("incoming"), StoreDirectories.PART_PREFIX,
                StoreDirectories.PART_SUFFIX,
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        OutputStream file = java.nio.channels.Channels.newOutputStream(channel);
        // the writer closes its stream when done; the file stays open until commit has fsynced it
        OutputStream out = new java.io.FilterOutputStream(file) {
            @Override
            public void write(byte[] data, int off, int len) throws IOException {
                file.write(data, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
        return new Incoming() {
            private boolean committed;

            @Override
            public OutputStream output() {
                return out;
            }

            @Override
            public long commit(String sha256) throws IOException {
                Path target = path(sha256);
                channel.force(true);
                file.close();
                StoreDirectories.privateDirectory(target.getParent());
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel directory = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
                    directory.force(true);
                }
                committed = true;
                return Files.size(target);
            }

            @Override
            public void close() throws IOException {
                if (!committed) {
                    file.close();
                    Files.deleteIfExists(temp);
                }
            }
        };
    }

    @Override
    public Optional<InputStream> open(String sha256) throws IOException {
        try {
            return Optional.of(Files.newInputStream(path(sha256)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean exists(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    @Override
    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    @Override
    public List<String> list() throws IOException {
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> shards = Files.newDirectoryStream(root, entry -> SHARD.matcher(
                entry.getFileName().toString()).matches() && Files.isDirectory(entry))) {
            for (Path shard : shards) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(shard, "*.pfb")) {
                    for (Path file : files) {
                        String name = file.getFileName().toString();
                        String sha = name.substring(0, name.length() - ".pfb".length());
                        if (SHA256.matcher(sha).matches() && sha.startsWith(shard.getFileName().toString())) {
                            found.add(sha);
                        }
                    }
                }
            }
        }
        return found;
    }

    @Override
    public Path workDirectory() {
        return root;
    }

    @Override
    public String describe() {
        return root.toString();
    }

    /** The file of an archive; a name that is not a sha256 never becomes a path. */
    Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("an archive's name must be a lowercase sha256");
        }
        return root.resolve(sha256.substring(0, 2)).resolve(sha256 + ".pfb");
    }
}
