package io.popfleet.ssh;

import java.util.List;

/** What an import of known_hosts lines did; nothing already pinned is ever replaced by an import. */
public record KnownHostsImport(int pinned, int alreadyPinned, List<String> conflicts, List<String> unmatched,
        List<String> unsupported) {
}
