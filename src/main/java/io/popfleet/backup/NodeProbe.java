package io.popfleet.backup;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.popfleet.runs.LoopbackAddresses;
import io.popfleet.runs.RunsConfig;
import io.popfleet.ssh.ExecLimits;
import io.popfleet.ssh.ExecResult;
import io.popfleet.ssh.NodeToolBundle;
import io.popfleet.ssh.NodeToolConfig;
import io.popfleet.ssh.ScriptShipper;
import io.popfleet.ssh.ShellQuoting;
import io.popfleet.ssh.SshEngine;
import io.popfleet.ssh.SshTarget;

/**
 * What a node holds now, read for a restore's preview and its checks afterwards: {@code pop --json status} (service
 * health, the identity's state and file) and the sha256 of that file, compared with a backup's identity fingerprint.
 * Two reads, nothing changed on the node.
 */
@ApplicationScoped
public class NodeProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SHA256 = Pattern.compile("^([0-9a-f]{64})\\b");
    private static final Duration WAIT = Duration.ofMinutes(2);

    /**
     * @param reachable whether the node answered at all; when not, {@code failure} says why
     * @param pipeNodeId the Pipe node id in its identity, null when it has none
     * @param fingerprint sha256 of its node_info.json, null when the identity is missing
     * @param healthy the tool's verdict on the service
     */
    public record Probe(boolean reachable, String failure, String pipeNodeId, String identityState,
            String fingerprint, boolean healthy, String serviceState) {

        static Probe unreachable(String why) {
            return new Probe(false, why, null, null, null, false, null);
        }
    }

    @Inject
    SshEngine engine;

    @Inject
    RunsConfig runs;

    @Inject
    NodeToolConfig nodeTool;

    private volatile Optional<NodeToolBundle> bundle;

    public Probe probe(SshTarget target) {
        if (runs.loopbackOnly() && !LoopbackAddresses.isLoopbackOnly(target)) {
            return Probe.unreachable("this controller only contacts loopback addresses (popfleet.runs.loopback-only)");
        }
        ScriptShipper shipper = new ScriptShipper(engine, nodeTool.toNodeTool());
        Optional<NodeToolBundle> tool = bundle();
        if (tool.isEmpty() && shipper.toolFor(target).shipped()) {
            return Probe.unreachable("this controller was built without the node tool bundle");
        }
        ExecLimits limits = engine.settings().limits();
        ExecResult status = await(shipper.run(target, tool.orElse(null), List.of("--json", "status"), limits)
                .thenApply(ScriptShipper.ShippedRun::result));
        JsonNode data;
        try {
            data = JSON.readTree(status.stdout()).path("data");
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
            data = null;
        }
        if (data == null || data.isMissingNode()) {
            return Probe.unreachable("status did not answer: " + (status.ok() ? "no JSON" : status.message()));
        }
        String identityState = data.at("/identity/state").asText(null);
        String file = data.at("/identity/file").asText(null);
        String fingerprint = null;
        if ("present".equals(identityState) && file != null && file.startsWith("/")
                && ShellQuoting.problem(file).isEmpty()) {
            // the tool's paths are under its POP_ROOT when that is set (the simulator), as the pull reads them
            ExecResult hash = await(engine.exec(target, "exec sha256sum -- \"${POP_ROOT:-}\"" + ShellQuoting.quote(
                    file), new byte[0], limits));
            var m = SHA256.matcher(hash.stdout());
            fingerprint = hash.ok() && m.find() ? m.group(1) : null;
        }
        return new Probe(true, null, data.at("/identity/node_id").asText(null), identityState, fingerprint,
                data.at("/service/healthy").asBoolean(false), data.at("/service/state").asText(null));
    }

    private Optional<NodeToolBundle> bundle() {
        if (bundle == null) {
            bundle = NodeToolBundle.fromClasspath();
        }
        return bundle;
    }

    static ExecResult await(CompletableFuture<ExecResult> future) {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a node", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("a node did not answer in " + WAIT.toMinutes() + " min: " + e, e);
        }
    }
}
