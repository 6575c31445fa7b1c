package io.popfleet.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;

/**
 * {@code echo <plain words>} answered without forking bash: lets the benchmark measure the SSH path itself,
 * which a thousand process spawns on a 2-core machine would drown. Only used when the fleet asks for it.
 */
final class EchoCommand implements Command {

    static final Pattern PLAIN_ECHO = Pattern.compile("echo [A-Za-z0-9 _.-]*");

    private final String text;
    private OutputStream out;
    private ExitCallback exit;

    EchoCommand(String command) {
        this.text = command.substring("echo ".length()) + "\n";
    }

    @Override
    public void setInputStream(java.io.InputStream in) {
    }

    @Override
    public void setOutputStream(OutputStream out) {
        this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
        this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        out.flush();
        exit.onExit(0);
    }

    @Override
    public void destroy(ChannelSession channel) {
    }
}
