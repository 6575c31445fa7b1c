package io.popfleet.ssh;

import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KnownHostsLineTest {

    @Test
    void plainAndBracketedHostsWithPortsAreRead() throws Exception {
        KeyPair key = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        String line = "node1.example,[10.0.0.7]:2222 " + HostKeys.openSshLine(key.getPublic()) + " a comment";
        List<String> unsupported = new ArrayList<>();

        List<KnownHostsLine> lines = KnownHostsLine.parseAll("# header\n\n" + line + "\n", unsupported);

        assertThat(unsupported).isEmpty();
        assertThat(lines).singleElement().satisfies(parsed -> {
            assertThat(parsed.endpoints()).containsExactly(new KnownHostsLine.Endpoint("node1.example", 22),
                    new KnownHostsLine.Endpoint("10.0.0.7", 2222));
            assertThat(HostKeys.same(parsed.key(), key.getPublic())).isTrue();
        });
    }

    @Test
    void hashedMarkedAndMalformedLinesAreReportedWithTheirLineNumbers() {
        List<String> unsupported = new ArrayList<>();

        List<KnownHostsLine> lines = KnownHostsLine.parseAll(String.join("\n",
                "|1|abc=|def= ssh-ed25519 AAAA", "@cert-authority *.example ssh-ed25519 AAAA", "host ssh-ed25519",
                "host ssh-ed25519 not-base64!"), unsupported);

        assertThat(lines).isEmpty();
        assertThat(unsupported).hasSize(4).first().asString().startsWith("line 1:");
    }
}
