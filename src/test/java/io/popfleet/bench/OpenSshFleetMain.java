package io.popfleet.bench;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

import io.popfleet.testing.OpenSshServer;

/**
 * N real OpenSSH sshd processes on 127.0.4.1, 127.0.4.2, ... for the benchmark's external mode (and for pssh or
 * Ansible on the same servers). Writes {@code hosts.txt}, {@code known_hosts} and {@code client_key} to the
 * directory, prints {@code READY}, and stops them all when its stdin closes.
 *
 * <p>Arguments: {@code <nodes> <directory>}.
 */
public final class OpenSshFleetMain {

    private OpenSshFleetMain() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        KeyPair client = KeyUtils.generateKeyPair("ssh-ed25519", 256);
        List<OpenSshServer> servers = new ArrayList<>();
        try {
            StringBuilder hosts = new StringBuilder();
            StringBuilder knownHosts = new StringBuilder();
            for (int i = 0; i < nodes; i++) {
                InetAddress address = InetAddress.getByAddress(new byte[] {127, 0, (byte) (4 + i / 254),
                        (byte) (i % 254 + 1)});
                OpenSshServer server = OpenSshServer.start(address, client);
                servers.add(server);
                hosts.append(server.host()).append(':').append(server.port()).append('\n');
                knownHosts.append('[').append(server.host()).append("]:").append(server.port()).append(' ')
                        .append(PublicKeyEntry.toString(server.hostKey().getPublic())).append('\n');
            }
            Files.writeString(dir.resolve("hosts.txt"), hosts);
            Files.writeString(dir.resolve("known_hosts"), knownHosts);
            ByteArrayOutputStream key = new ByteArrayOutputStream();
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(client, "bench", null, key);
            Path keyFile = dir.resolve("client_key");
            Files.write(keyFile, key.toByteArray());
            Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
            System.out.println("READY");
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        } finally {
            servers.forEach(OpenSshServer::close);
        }
    }

}
