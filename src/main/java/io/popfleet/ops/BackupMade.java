package io.popfleet.ops;

import java.util.Map;

/**
 * What {@code pop backup} reports: the archive it wrote, where, and its checksum (docs/node-json.md). The
 * controller pulls the archive from {@code path} and checks it against {@code sha256}.
 *
 * @param path the archive on the node, under the tool's {@code POP_ROOT} when that is set
 * @param nodeId the Pipe node id the archive holds ({@code unknown} without an identity)
 * @param registeredIp the IP the identity registered from, when the node knows it
 */
public record BackupMade(String archive, String path, String sha256, Long sizeBytes, Boolean encrypted,
        String nodeId, String registeredIp) implements NodeAnswer {

    static BackupMade read(Map<String, Object> data) {
        Map<String, Object> registration = AnswerFields.map(data.get("registration"));
        return new BackupMade(AnswerFields.text(data.get("archive")), AnswerFields.text(data.get("path")),
                AnswerFields.text(data.get("sha256")), AnswerFields.whole(data.get("size_bytes")),
                AnswerFields.bool(data.get("encrypted")), AnswerFields.text(data.get("node_id")),
                AnswerFields.text(registration.get("registered_ip")));
    }
}
