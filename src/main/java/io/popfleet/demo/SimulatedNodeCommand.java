package io.popfleet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An exec request on a simulated node: the command line goes to {@code bash -c} as a real sshd would hand it to
 * the login shell (never split on spaces, so quoting bugs show), with the node's directory as its home. A node
 * laid out by pop-sim there is found by the node tool through {@code POP_ROOT}, as it finds /etc/pop/pop.conf on
 * a real node. The demo fleet serves these; the test fleet adds its faults around them.
 */
public final class SimulatedNodeCommand implements Command {

    private final Path home;
    private final String command;
    private final ExecutorService pumps;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;
    private volatile boolean destroyed;

    /** @param pumps runs the stream copies; shared by every command of a server, so threads do not grow per node */
    public SimulatedNodeCommand(Path home, String command, ExecutorService pumps) {
        this.home = home;
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
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).directory(home.toFile());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("LC_ALL", "C.UTF-8");
        if (Files.exists(home.resolve("etc/pop/pop.conf"))) {
            builder.environment().put("POP_ROOT", home.toString());
            // The simulated node's systemctl, journalctl and ss, as its host would have the real ones.
            builder.environment().put("PATH", home.toAbsolutePath().resolve("sim/bin") + ":"
                    + builder.environment().getOrDefault("PATH", "/usr/bin:/bin"));
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
            // the client went away: the process is destroyed with the channel
        } finally {
            drained.countDown();
        }
    }

    // The exit status follows all of the output, so the client never sees an exit before the last byte.
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

    @Override
    public void destroy(ChannelSession channel) {
        destroyed = true;
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
        }
    }
}
