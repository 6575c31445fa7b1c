package io.popfleet.rollout;

import java.time.Instant;

/** A node binary version the controller holds and ships: its sha256 is computed on upload and pinned. */
public record Release(long id, String version, String sha256, long sizeBytes, String uploadedBy, Instant createdAt) {
}
