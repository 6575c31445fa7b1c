package io.popfleet.ops;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What {@code pop list-backups} reports: the node's backups, newest first. */
public record BackupList(String directory, List<Backup> backups) implements NodeAnswer {

    public BackupList {
        backups = backups == null ? List.of() : List.copyOf(backups);
    }

    /**
     * @param created null when the node's timestamp is missing or not ISO-8601
     * @param verified whether the archive matched the {@code .sha256} file beside it
     */
    public record Backup(String name, Instant created, Long sizeBytes, String sha256, Boolean verified,
            Boolean encrypted) {
    }

    /** The first entry, which the node tool lists newest first. */
    public Optional<Backup> newest() {
        return backups.stream().findFirst();
    }

    static BackupList read(Map<String, Object> data) {
        List<Backup> backups = AnswerFields.list(data.get("backups")).stream().map(AnswerFields::map)
                .map(b -> new Backup(AnswerFields.text(b.get("name")), AnswerFields.instant(b.get("created")),
                        AnswerFields.whole(b.get("size_bytes")), AnswerFields.text(b.get("sha256")),
                        AnswerFields.bool(b.get("verified")), AnswerFields.bool(b.get("encrypted"))))
                .toList();
        return new BackupList(AnswerFields.text(data.get("directory")), backups);
    }
}
