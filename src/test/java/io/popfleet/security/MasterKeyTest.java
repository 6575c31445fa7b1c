package io.popfleet.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void firstStartWritesACompleteOwnerOnlyKeyAndLeavesNoTempFile() throws Exception {
        byte[] first = MasterKey.load(Map.of(), dataDir).getEncoded();

        Path file = dataDir.resolve(MasterKey.FILE_NAME);
        assertThat(first).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var listing = Files.list(dataDir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(MasterKey.FILE_NAME);
        }
        assertThat(MasterKey.load(Map.of(), dataDir).getEncoded()).as("the second start reads the same key")
                .isEqualTo(first);
    }

    @Test
    void anEmptyKeyFileStopsStartUpWithAClearErrorAndIsNotReplaced() throws Exception {
        Path file = Files.writeString(dataDir.resolve(MasterKey.FILE_NAME), "", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> MasterKey.load(Map.of(), dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("is empty")
                .hasMessageContaining("backup");
        // Replacing it silently would make every sealed secret unreadable.
        assertThat(Files.size(file)).isZero();
    }

    @Test
    void aShortKeyFileStopsStartUpNamingTheExpectedLength() throws Exception {
        Files.writeString(dataDir.resolve(MasterKey.FILE_NAME), "c2hvcnQ=\n", StandardCharsets.US_ASCII);

        assertThatThrownBy(() -> MasterKey.load(Map.of(), dataDir)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("must be 32 bytes, is 5");
    }
}
