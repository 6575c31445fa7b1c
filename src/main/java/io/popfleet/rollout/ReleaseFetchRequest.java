package io.popfleet.rollout;

/**
 * Register a release from a URL the controller fetches: {@code sha256}, when given, is the hash the binary must
 * have (a mismatch stores nothing).
 */
public record ReleaseFetchRequest(String version, String url, String sha256) {
}
