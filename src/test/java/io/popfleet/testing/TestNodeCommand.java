package io.popfleet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

import io.popfleet.demo.SimulatedNodeCommand;

/**
 * An exec request on a test node: the node's faults acted out (hang, flood, drop mid-command), or else the same
 * {@code bash -c} a demo node runs ({@link SimulatedNodeCommand}). A simulated node's latency faults ({@code pop-sim
 * fault DIR slow-command|hung-command SECONDS}) are the login being slow, acted out here: the command starts that
 * much later (a client that gave up meanwhile does not stop it, unless the server destroyed the command), so the
 * node tool itself carries no test hook.
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
        long delay = seconds("hung-command", 600) + seconds("slow-command", 3);
        if (node.has(Fault.DROP_MID_STREAM)) {
            bash.setOutputStream(new CutAfter(out, 512, () -> channel.getSession().close(true)));
        }
        if (delay == 0) {
            bash.start(channel, env);
            return;
        }
        CompletableFuture.delayedExecutor(delay, TimeUnit.SECONDS, pumps).execute(() -> {
            synchronized (this) {
                if (destroyed) {
                    return;
                }
                try {
                    bash.start(channel, env);
                } catch (IOException | RuntimeException e) {
                    channel.getSession().close(true);
                }
            }
        });
    }

    /** The seconds a pop-sim latency fault of this node holds (its file's number, else the default); 0 when off. */
    private long seconds(String fault, long otherwise) {
        Path file = node.home().resolve("var/lib/pop-sim/faults").resolve(fault);
        if (!Files.exists(file)) {
            return 0;
        }
        try {
            String text = Files.readString(file).trim();
            return text.matches("[0-9]{1,5}") ? Long.parseLong(text) : otherwise;
        } catch (IOException e) {
            return otherwise;
        }
    }

    /** Forwards the first {@code limit} bytes, then drops the connection instead of sending more. */
    private static final class CutAfter extends OutputStream {
        private final OutputStream out;
        private final Runnable drop;
        private long room;

        CutAfter(OutputStream out, long limit, Runnable drop) {
            this.out = out;
            this.room = limit;
            this.drop = drop;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] data, int off, int len) throws IOException {
            if (room <= 0) {
                throw new IOException("connection dropped by the test");
            }
            int n = (int) Math.min(len, room);
            out.write(data, off, n);
            out.flush();
            room -= n;
            if (room <= 0) {
                drop.run();
                throw new IOException("connection dropped by the test");
            }
        }

        @Override
        public void flush() throws IOException {
            if (room > 0) {
                out.flush();
            }
        }
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
        synchronized (this) {
            destroyed = true;
        }
        bash.destroy(channel);
    }
}
