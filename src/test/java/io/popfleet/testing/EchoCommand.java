package io.popfleet.testing;

import java.util.regex.Pattern;

import org.apache.sshd.server.Environment;
import org.apache.sshd.server.channel.ChannelSession;

/**
 * {@code echo <plain words>} answered without forking bash: lets the benchmark measure the SSH path itself,
 * which a thousand process spawns on a 2-core machine would drown. Only used when the fleet asks for it.
 */
final class EchoCommand extends InProcessCommand {

    static final Pattern PLAIN_ECHO = Pattern.compile("echo [A-Za-z0-9 _.-]*");

    private final String text;

    EchoCommand(String command) {
        this.text = command.substring("echo ".length()) + "\n";
    }

    @Override
    public void start(ChannelSession channel, Environment env) {
        finish(text, null, 0);
    }
}
