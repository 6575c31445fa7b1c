package io.popfleet.alerts;

import java.time.Instant;

/** An alert as the API, the pages and the webhook show it. */
public record AlertView(long id, long nodeId, String nodeName, String rule, String message, Instant openedAt,
        Instant resolvedAt) {

    public boolean isOpen() {
        return resolvedAt == null;
    }
}
