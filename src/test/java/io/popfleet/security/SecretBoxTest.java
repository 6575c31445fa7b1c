package io.popfleet.security;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretBoxTest {

    @TempDir
    Path dataDir;

    @Test
    void sealedSecretOpensOnlyWithTheSameContext() {
        SecretBox box = new SecretBox(MasterKey.load(Map.of(), dataDir));
        byte[] sealed = box.seal("private key".getBytes(StandardCharsets.UTF_8), "ssh_credential:a");

        assertThat(new String(box.open(sealed, "ssh_credential:a"), StandardCharsets.UTF_8)).isEqualTo("private key");
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("private key");
        assertThatThrownBy(() -> box.open(sealed, "ssh_credential:b")).isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void tamperedSecretDoesNotOpen() {
        SecretBox box = new SecretBox(MasterKey.load(Map.of(), dataDir));
        byte[] sealed = box.seal(new byte[] {1, 2, 3}, "c");
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> box.open(sealed, "c")).isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void masterKeyFileIsCreatedOnceWithOwnerOnlyPermissions() throws Exception {
        byte[] sealed = new SecretBox(MasterKey.load(Map.of(), dataDir)).seal(new byte[] {9}, "c");
        Path file = dataDir.resolve(MasterKey.FILE_NAME);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(new SecretBox(MasterKey.load(Map.of(), dataDir)).open(sealed, "c")).containsExactly(9);
    }

    @Test
    void masterKeyFromTheEnvironmentWinsOverTheFile() {
        String key = Base64.getEncoder().encodeToString(new byte[32]);
        SecretBox fromEnv = new SecretBox(MasterKey.load(Map.of(MasterKey.ENV, key), dataDir));
        byte[] sealed = fromEnv.seal(new byte[] {7}, "c");

        assertThat(Files.exists(dataDir.resolve(MasterKey.FILE_NAME))).isFalse();
        assertThatThrownBy(() -> new SecretBox(MasterKey.load(Map.of(), dataDir)).open(sealed, "c"))
                .isInstanceOf(SecretUnreadableException.class);
    }

    @Test
    void masterKeyOfTheWrongLengthIsRefusedWithoutEchoingIt() {
        String shortKey = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> MasterKey.load(Map.of(MasterKey.ENV, shortKey), dataDir))
                .hasMessageNotContaining(shortKey).hasMessageContaining("32 bytes");
    }
}
