package io.popfleet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import io.popfleet.ssh.CredentialSource;
import io.popfleet.ssh.HostKeys;
import io.popfleet.ssh.InMemoryHostKeyStore;
import io.popfleet.ssh.SshTarget;

/** The nodes a benchmark run talks to: targets, their pinned host keys, and the one key to log in with. */
record BenchFleet(List<SshTarget> targets, InMemoryHostKeyStore pins, CredentialSource credentials) {

    static final String CREDENTIAL = "bench";

    /** {@code fleet.txt} written by {@link FleetServerMain}: {@code host port key-type key}. */
    static BenchFleet simulated(Path fleetFile, Path clientKey, String user) throws IOException {
        InMemoryHostKeyStore pins = new InMemoryHostKeyStore();
        List<SshTarget> targets = new ArrayList<>();
        for (String line : Files.readAllLines(fleetFile)) {
            String[] fields = line.split(" ", 3);
            int port = Integer.parseInt(fields[1]);
            targets.add(new SshTarget(targets.size() + 1L, fields[0], fields[0], port, user, CREDENTIAL));
            pins.pin(fields[0], port, HostKeys.parse(fields[2]));
        }
        return new BenchFleet(targets, pins, credential(clientKey, null));
    }

    /** Any fleet: {@code host[:port]} per line, an OpenSSH known_hosts file, a private key. */
    static BenchFleet external(Path hostsFile, Path knownHosts, Path key, String passphrase, String user)
            throws IOException {
        InMemoryHostKeyStore pins = new InMemoryHostKeyStore();
        List<String> unusable = pins.pinKnownHosts(Files.readString(knownHosts));
        unusable.forEach(problem -> System.err.println("known_hosts: " + problem));
        List<SshTarget> targets = new ArrayList<>();
        for (String raw : Files.readAllLines(hostsFile)) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int colon = line.lastIndexOf(':');
            String host = colon > 0 ? line.substring(0, colon) : line;
            int port = colon > 0 ? Integer.parseInt(line.substring(colon + 1)) : 22;
            targets.add(new SshTarget(targets.size() + 1L, line, host, port, user, CREDENTIAL));
        }
        return new BenchFleet(targets, pins, credential(key, passphrase));
    }

    private static CredentialSource credential(Path keyFile, String passphrase) throws IOException {
        KeyPair pair;
        try (InputStream in = Files.newInputStream(keyFile)) {
            pair = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(keyFile.toString()), in,
                    passphrase == null ? FilePasswordProvider.EMPTY : FilePasswordProvider.of(passphrase))
                    .iterator().next();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read " + keyFile, e);
        }
        return name -> pair;
    }
}
