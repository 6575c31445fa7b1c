package io.popfleet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * An exec request on a demo node: the command line goes to {@code bash -c} as a real sshd would hand it to the
 * login shell (never split on spaces), with the node's directory as its home and its {@code POP_ROOT}.
 */
final class SimulatedNodeCommand implements Command {

    private final Path home;
    private final String command;
    private final ExecutorService pumps;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private Process process;

    SimulatedNodeCommand(Path home, String command, ExecutorService pumps) {
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
        builder.environment().put("POP_ROOT", home.toString());
        builder.environment().put("LC_ALL", "C.UTF-8");
        process = builder.start();
        pumps.execute(() -> {
            try (OutputStream toProcess = process.getOutputStream()) {
                in.transferTo(toProcess);
            } catch (IOException ignored) {
                // the command closed its stdin: nothing more to feed
            }
        });
        java.util.concurrent.Future<?> errors = pumps.submit(() -> copy(process.getErrorStream(), err));
        pumps.execute(() -> {
            try {
                copy(process.getInputStream(), out);
                errors.get();
                exit.onExit(process.waitFor());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                exit.onExit(130);
            } catch (java.util.concurrent.ExecutionException e) {
                exit.onExit(255);
            }
        });
    }

    private static void copy(InputStream from, OutputStream to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            for (int n; (n = from.read(buffer)) >= 0;) {
                to.write(buffer, 0, n);
                to.flush();
            }
        } catch (IOException ignored) {
            // the client went away; the process is destroyed with the channel
        }
    }

    @Override
    public void destroy(ChannelSession channel) {
        if (process != null) {
            process.destroyForcibly();
        }
    }
}
