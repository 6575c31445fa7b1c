package io.popfleet.ssh;

/**
 * {@code STRICT}: a node's key must be pinned before the first connection. {@code TOFU}: the first key seen is
 * pinned (and audited). Under both, a key that differs from the pin is refused and never re-pinned silently.
 */
public enum HostKeyPolicy {
    STRICT,
    TOFU
}
