package io.popfleet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import io.popfleet.demo.SimulatedNodeCommand;

/**
 * An exec request on a test node: the node's faults acted out (hang, flood, drop mid-command), or else the same
 * {@code bash -c} a demo node runs ({@link SimulatedNodeCommand}).
 */
final class TestNodeCommand implements Command {

    private final FleetNode node;
    private final SimulatedNodeCommand bash;
    private final ExecutorService pumps;
    private OutputStream out;
    private volatile boolean destroyed;

    TestNodeCommand(FleetNode node, String command, ExecutorService pumps) {
        this.node = node;
        this.bash = new SimulatedNodeCommand(node.home(), command, pumps);
        this.pumps = pumps;
    }

    @Override
    public void setInputStream(InputStream in) {
        bash.setInputStream(in);
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
        bash.setOutputStream(out);
    }

    @Override
    public void setErrorStream(OutputStream err) {
        bash.setErrorStream(err);
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        bash.setExitCallback(callback);
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        if (node.has(Fault.HANG)) {
            return; // never exits; the client's exec timeout must end it
        }
        if (node.has(Fault.FLOOD_OUTPUT)) {
            pumps.execute(this::flood);
            return;
        }
        if (node.has(Fault.DROP_MID_COMMAND)) {
            out.write("partial output\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            channel.getSession().close(true);
            return;
        }
        bash.start(channel, env);
    }

    private void flood() {
        byte[] line = new byte[64 * 1024];
        Arrays.fill(line, (byte) 'x');
        try {
            while (!destroyed) {
                out.write(line);
                out.flush();
            }
        } catch (IOException e) {
            // the client closed the channel at its cap: the point of the exercise
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
        bash.destroy(channel);
    }
}
