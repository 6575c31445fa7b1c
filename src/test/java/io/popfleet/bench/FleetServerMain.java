package io.popfleet.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.util.security.SecurityUtils;

import io.popfleet.rollout.RolloutNodes;
import io.popfleet.testing.BackupNodes;
import io.popfleet.testing.FleetNode;
import io.popfleet.testing.RecordingNodes;
import io.popfleet.testing.SshTestFleet;

/**
 * The benchmark's simulated nodes, in their own JVM so the controller's threads and heap are measured alone.
 * Writes {@code fleet.txt} ({@code host port host-key}) and {@code client_key}, prints {@code READY}, and runs
 * until its stdin closes (so it dies with the benchmark).
 *
 * <p>Arguments: {@code <nodes> <directory> [echo|status|backup] [first]}: nodes from the {@code first}-th loopback
 * address on (default 0), {@code fleet.txt} appended to and an existing {@code client_key} accepted, so several
 * processes serve one fleet; {@code echo} (the default) answers a plain
 * {@code echo} in-process and forks anything else; {@code status} answers the node tool in-process at near-zero cost
 * ({@link RecordingNodes}: shipping protocol, hash-checked upload, a real node's {@code status} data), so a
 * benchmark of the controller measures the controller; {@code backup} answers {@code pop backup} as well, each
 * node with an archive of its own made from the real one in {@code template.tar.gz} ({@link BackupNodes}).
 *
 * <p>{@code rollout} mode ({@code <nodes> <directory> rollout <first> <update-ms> <sha256> <version> <from>}):
 * the nodes act out a rollout ({@link RolloutNodes}: release shipping, {@code update --shipped} taking
 * {@code update-ms}, {@code health}), start on version {@code from}, know {@code sha256} as {@code version}, and
 * keep their own logs. A line {@code dump} on stdin writes {@code rollout-nodes-<first>.txt}
 * ({@code index version releases-received updates}) for the benchmark to check.
 */
public final class FleetServerMain {

    /** What {@code pop --json status} answered on a pop-sim node (seed 3, systemd), as its {@code data}. */
    static final String STATUS_DATA = "{\"node_id\":\"c8a77c65-dece-4e76-ae7b-ef153e7383fd\",\"service\":{\"state\":\"stopped\",\"healthy\""
            + ":false,\"pid\":null,\"since\":null,\"uptime_seconds\":null,\"restarts\":0,\"manager\":\"systemd\",\""
            + "unit\":\"pop.service\"},\"identity\":{\"state\":\"present\",\"file\":\"/var/lib/pop/node_info.json\""
            + ",\"node_id\":\"c8a77c65-dece-4e76-ae7b-ef153e7383fd\"},\"binary\":{\"path\":\"/opt/pop/pop\",\"state"
            + "\":\"ok\",\"version\":\"0.2.8\"},\"wallet\":\"yqCAsaKu9VVinFS2DEAXMRHFXLoyhwkamRRZXj9RFyoK\",\"confi"
            + "g\":{\"enable_80_443\":true,\"unit_wallet\":null},\"process\":null,\"reputation\":{\"score\":0.733,\""
            + "band\":\"fair\",\"components\":{\"uptime\":0.808,\"historical\":0.857,\"egress\":0.511},\"good_days\""
            + ":6,\"uptime_seconds_7d\":488700,\"egress_bytes_7d\":3577530000000,\"source\":\"binary\",\"sources\":"
            + "{\"score\":\"binary\",\"uptime\":\"binary\",\"historical\":\"binary\",\"egress\":\"binary\",\"good_d"
            + "ays\":\"estimate\",\"uptime_seconds_7d\":\"estimate\",\"egress_bytes_7d\":\"estimate\"},\"egress_cou"
            + "nter\":\"collected\"},\"points\":1510,\"points_source\":\"binary\",\"auth\":\"ok\",\"binary_status\""
            + ":{\"state\":\"ok\",\"detail\":\"reputation read from the node binary's --status\",\"node_id\":\"c8a7"
            + "7c65-dece-4e76-ae7b-ef153e7383fd\"},\"disk\":{\"path\":\"/var/lib/pop\",\"total_bytes\":270553174016"
            + ",\"free_bytes\":83866550272},\"memory\":{\"total_bytes\":25276510208,\"available_bytes\":21857468416"
            + "},\"ports\":[{\"port\":8003,\"status\":\"free\",\"holder\":null},{\"port\":80,\"status\":\"free\",\""
            + "holder\":null},{\"port\":443,\"status\":\"free\",\"holder\":null}]}";

    private FleetServerMain() {
    }

    public static void main(String[] args) throws IOException {
        int nodes = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        boolean status = args.length > 2 && args[2].equals("status");
        int first = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        Path key = dir.resolve("client_key");
        SshTestFleet configured = SshTestFleet.ofSize(nodes).inProcessEcho(true).firstAddress(first);
        if (Files.exists(key)) {
            try (var in = Files.newInputStream(key)) {
                configured.clientKey(SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.toString()),
                        in, null).iterator().next());
            } catch (java.security.GeneralSecurityException e) {
                throw new IOException("cannot read " + key, e);
            }
        }
        RolloutNodes rollout = null;
        if (status) {
            configured.commands(new RecordingNodes(Duration.ZERO, Map.of("status", STATUS_DATA), false));
        } else if (args.length > 2 && args[2].equals("backup")) {
            configured.commands(new RecordingNodes(Duration.ZERO, Map.of("status", STATUS_DATA), false)
                    .perNode(BackupNodes.read(dir)));
        } else if (args.length > 2 && args[2].equals("rollout")) {
            Duration update = Duration.ofMillis(Long.parseLong(args[4]));
            rollout = new RolloutNodes(index -> "region-" + (first + index) % 4, index -> update,
                    index -> Duration.ofMillis(200));
            rollout.reset(nodes, args[7]);
            rollout.knowRelease(args[5], args[6]);
            configured.commands(rollout);
        }
        try (SshTestFleet fleet = configured.start()) {
            StringBuilder lines = new StringBuilder();
            for (FleetNode node : fleet.nodes()) {
                lines.append(node.host()).append(' ').append(node.port()).append(' ')
                        .append(PublicKeyEntry.toString(node.hostKey().getPublic())).append('\n');
            }
            Files.writeString(dir.resolve("fleet.txt"), lines, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            if (!Files.exists(key)) {
                Files.writeString(key, fleet.clientKeyOpenSsh(null), StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            }
            System.out.println("READY");
            System.out.flush();
            if (rollout == null) {
                System.in.transferTo(java.io.OutputStream.nullOutputStream());
            } else {
                serveRollout(rollout, nodes, dir.resolve("rollout-nodes-" + first + ".txt"));
            }
        } finally {
            if (rollout != null) {
                rollout.close();
            }
        }
    }

    /** Until stdin closes: each {@code dump} line writes every node's own record, whole (a move into place). */
    private static void serveRollout(RolloutNodes rollout, int nodes, Path file) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (!line.strip().equals("dump")) {
                continue;
            }
            StringBuilder records = new StringBuilder();
            for (int i = 0; i < nodes; i++) {
                records.append(i).append(' ').append(rollout.version(i)).append(' ').append(rollout.uploads(i))
                        .append(' ').append(String.join(",", rollout.updates(i))).append('\n');
            }
            Path part = file.resolveSibling(file.getFileName() + ".part");
            Files.writeString(part, records);
            Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
