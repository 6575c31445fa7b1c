package io.popfleet.runs;

import java.util.regex.Pattern;

import io.popfleet.ssh.SshTarget;

/** Recognises loopback address literals without any name lookup (a lookup is already traffic). */
public final class LoopbackAddresses {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile(
            "^127\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])"
                    + "\\.(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$");

    private LoopbackAddresses() {
    }

    /** Whether reaching {@code target} contacts loopback addresses only: the node and, if any, its jump host. */
    public static boolean isLoopbackOnly(SshTarget target) {
        return isLoopbackLiteral(target.host()) && (target.jump() == null || isLoopbackOnly(target.jump()));
    }

    public static boolean isLoopbackLiteral(String host) {
        return host != null && (IPV4_LOOPBACK.matcher(host).matches() || host.equals("::1")
                || host.equals("0:0:0:0:0:0:0:1"));
    }
}
