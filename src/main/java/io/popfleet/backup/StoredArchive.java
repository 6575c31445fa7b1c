package io.popfleet.backup;

import java.time.Instant;

import io.popfleet.database.SqlRow;

/**
 * An archive in the controller's store, as the API shows it (never its contents).
 *
 * @param identityFingerprint sha256 of the node_info.json inside: two archives of one identity share it
 * @param verifyOk whether the last re-hash of the stored copy matched; true right after the pull
 */
public record StoredArchive(long id, Long nodeId, String nodeName, String archiveName, Instant madeAt,
        Instant pulledAt, long sizeBytes, String sha256, String toolVersion, String binaryVersion, String pipeNodeId,
        String identityFingerprint, String registeredIp, String keyId, Instant verifiedAt, Boolean verifyOk,
        String verifyFailure) {

    static final String COLUMNS = "id, node_id, node_name, archive_name, made_at, pulled_at, size_bytes, sha256,"
            + " tool_version, binary_version, pipe_node_id, identity_fingerprint, registered_ip, key_id, verified_at,"
            + " verify_ok, verify_failure";

    static StoredArchive of(SqlRow r) {
        return new StoredArchive(r.whole("id"), r.whole("node_id"), r.text("node_name"), r.text("archive_name"),
                r.instant("made_at"), r.instant("pulled_at"), r.whole("size_bytes"), r.text("sha256"),
                r.text("tool_version"), r.text("binary_version"), r.text("pipe_node_id"),
                r.text("identity_fingerprint"), r.text("registered_ip"), r.text("key_id"), r.instant("verified_at"),
                r.flag("verify_ok"), r.text("verify_failure"));
    }
}
