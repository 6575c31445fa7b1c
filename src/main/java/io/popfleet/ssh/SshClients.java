package io.popfleet.ssh;

import java.time.Duration;
import java.util.List;

import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.password.PasswordIdentityProvider;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.kex.KeyExchangeFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/** Builds the one configured {@link SshClient}: nothing read from ~/.ssh, our verifier, our KEX order. */
final class SshClients {

    /**
     * AES-GCM first: the JDK runs it on the CPU's AES and carry-less multiply instructions, while MINA's default
     * first choice, chacha20-poly1305, is pure Java. Uploading the 152 KB node tool to 1,000 nodes spent a quarter
     * of the controller's CPU in ChaCha20 (JFR, docs/benchmarks.md). chacha20-poly1305 stays last for a server
     * that offers nothing else.
     */
    static final List<NamedFactory<Cipher>> CIPHERS = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.aes256gcm,
            BuiltinCiphers.aes128ctr, BuiltinCiphers.aes192ctr, BuiltinCiphers.aes256ctr,
            BuiltinCiphers.cc20p1305_openssh);

    private SshClients() {
    }

    static SshClient create(SshSettings settings, PinnedHostKeyVerifier verifier) {
        SshClient client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setPasswordIdentityProvider(PasswordIdentityProvider.EMPTY_PASSWORDS_PROVIDER);
        client.setFilePasswordProvider(FilePasswordProvider.EMPTY);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        client.setAgentFactory(null);
        client.setKeyExchangeFactories(keyExchanges(settings.kexOrder()));
        client.setCipherFactories(CIPHERS);
        CoreModuleProperties.NIO_WORKERS.set(client, settings.ioThreads());
        if (!settings.heartbeatInterval().isZero()) {
            // keepalive@openssh.com with a reply: a session whose peer vanished is closed after 3 silent beats
            CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.heartbeatInterval());
            CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
            CoreModuleProperties.HEARTBEAT_REPLY_WAIT.set(client, Duration.ofSeconds(5));
            CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, 3);
        }
        // the pool expires idle sessions itself; MINA's own idle timer must not fire first
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.sessionIdleTimeout().plusMinutes(1));
        return client;
    }

    static List<KeyExchangeFactory> keyExchanges(List<String> order) {
        BuiltinDHFactories.ParseResult parsed = BuiltinDHFactories.parseDHFactoriesList(order);
        if (!parsed.getUnsupportedFactories().isEmpty()) {
            throw new IllegalArgumentException("unsupported key exchange: " + parsed.getUnsupportedFactories());
        }
        return NamedFactory.setUpTransformedFactories(false, parsed.getParsedFactories(), ClientBuilder.DH2KEX);
    }
}
