package io.popfleet.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * Runs an exec request as {@code bash -c <command>} in the node's directory, as sshd would run it through the
 * user's shell: the command string reaches bash unsplit, so quoting bugs show. Also acts out the node's faults.
 */
final class BashCommand implements Command {

    private final FleetNode node;
    private final String command;
    private final ExecutorService pumps;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;
    private volatile boolean destroyed;

    BashCommand(FleetNode node, String command, ExecutorService pumps) {
        this.node = node;
        this.command = command;
        this.pumps = pumps;
    }

    @Override
    public void setInputStream(InputStream in) {
        this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
        this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
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
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(node.home().toFile());
        builder.environment().put("HOME", node.home().toString());
        builder.environment().put("LC_ALL", "C.UTF-8");
        // A node laid out by pop-sim in its home is a simulated PoP: the node tool finds it as it finds
        // /etc/pop/pop.conf on a real node, through POP_ROOT.
        if (java.nio.file.Files.exists(node.home().resolve("etc/pop/pop.conf"))) {
            builder.environment().put("POP_ROOT", node.home().toString());
        }
        process = builder.start();
        CountDownLatch drained = new CountDownLatch(2);
        pumps.execute(() -> copy(process.getInputStream(), out, drained));
        pumps.execute(() -> copy(process.getErrorStream(), err, drained));
        pumps.execute(this::feedStdin);
        pumps.execute(() -> awaitExit(drained));
    }

    private void feedStdin() {
        try (OutputStream toProcess = process.getOutputStream()) {
            in.transferTo(toProcess);
        } catch (IOException e) {
            // the process closed its stdin or the channel went away: nothing more to feed
        }
    }

    private static void copy(InputStream from, OutputStream to, CountDownLatch drained) {
        byte[] buffer = new byte[32 * 1024];
        try {
            for (int n; (n = from.read(buffer)) >= 0;) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException e) {
            // client gone: the process is destroyed with the channel
        } finally {
            drained.countDown();
        }
    }

    private void awaitExit(CountDownLatch drained) {
        try {
            int code = process.waitFor();
            drained.await();
            if (!destroyed) {
                exit.onExit(code);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
        destroyed = true;
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }
}
