package io.popfleet.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.apache.sshd.common.config.keys.PublicKeyEntry;

import io.popfleet.testing.FleetNode;
import io.popfleet.testing.SshTestFleet;

/**
 * The benchmark's simulated nodes, in their own JVM so the controller's threads and heap are measured alone.
 * Writes {@code fleet.txt} ({@code host port host-key}) and {@code client_key}, prints {@code READY}, and runs
 * until its stdin closes (so it dies with the benchmark).
 *
 * <p>Arguments: {@code <nodes> <directory>}.
 */
public final class FleetServerMain {

    private FleetServerMain() {
    }

    public static void main(String[] args) throws IOException {
        int nodes = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        try (SshTestFleet fleet = SshTestFleet.ofSize(nodes).inProcessEcho(true).start()) {
            StringBuilder lines = new StringBuilder();
            for (FleetNode node : fleet.nodes()) {
                lines.append(node.host()).append(' ').append(node.port()).append(' ')
                        .append(PublicKeyEntry.toString(node.hostKey().getPublic())).append('\n');
            }
            Files.writeString(dir.resolve("fleet.txt"), lines);
            Path key = dir.resolve("client_key");
            Files.writeString(key, fleet.clientKeyOpenSsh(null), StandardCharsets.US_ASCII);
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            System.out.println("READY");
            System.out.flush();
            System.in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }
}
