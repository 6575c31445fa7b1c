package io.popfleet.ssh;

import java.util.List;

/** Arguments that must never do anything but arrive intact (or be refused). "pwned" is the marker file. */
final class HostileArguments {

    private HostileArguments() {
    }

    /** Each must reach the remote command byte-identical, as exactly one argument. */
    static final List<String> CARRIED = List.of(
            "'", "\"", "''", "'\"'\"'", "$(touch pwned)", "`touch pwned`", "; touch pwned", "&& touch pwned",
            "|| touch pwned", "| touch pwned", "& touch pwned", "\ntouch pwned", "\rtouch pwned", "$(touch pwned)'",
            "'$(touch pwned)'", "'; touch pwned; '", "\"; touch pwned; \"", "\\'; touch pwned; #",
            "${IFS}touch${IFS}pwned", "$HOME", "${PATH}", "$0", "$$", "$?", "$(( 1 + 1 ))", "*", "?", "[a-z]*",
            "~", "~root", "{a,b}", "> pwned", "< /etc/passwd", ">> pwned", "2> pwned", "<(touch pwned)",
            ">(touch pwned)", "!!", "!touch", "#comment", "-n", "--help", "-e \\x41", "%s%s%s%n", "\\", "\\\\",
            "\\'", "a\tb", "\t", " ", "", "   leading and trailing   ", "\u00e9\u00e8 unicode \u2603 \ud83d\ude00",
            "\u202e right-to-left override", "\u0001\u0002\u0007\u001b[31m escape", "\u007f", "x".repeat(4096),
            "$(touch pwned)".repeat(200), "`$(\"'\\\n;&|<>*?[]{}~#!%^", "eval touch pwned", "exec touch pwned",
            "IFS=x", "\n$(touch pwned)\n", "'\n'touch pwned'\n'", "\\$(touch pwned)", "$'\\x74ouch pwned'",
            "'\"$(touch pwned)\"'", "a'b'c'd", "'''''''''", "$(touch${IFS}pwned)", "\u00ff\u00fe non-ascii latin-1",
            "line1\nline2\nline3", "touch pwned #", "\\n", "%0a touch pwned", "\u2028\u2029 separators");

    /** Each cannot be carried faithfully and must be refused before anything is sent. */
    static final List<String> REFUSED = List.of(
            "\u0000touch pwned", "a\u0000b", "\ud800", "\udc00abc", "tail \ud83d", "x".repeat(4097),
            "$(touch pwned)".repeat(1000));
}
