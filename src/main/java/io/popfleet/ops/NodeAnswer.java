package io.popfleet.ops;

import java.util.Map;

/**
 * A node's {@code data}, read once into a typed record for the commands the controller keeps figures from
 * (docs/node-json.md). Other commands' data stays as the node sent it, with the run target.
 */
public sealed interface NodeAnswer permits NodeStatus, BackupList, BackupMade, LeaderboardAnswer,
        WalletInfo, RunningVersion {

    /** The typed answer for {@code command}'s data, or null when the command has none or the node sent no data. */
    static NodeAnswer read(String command, Map<String, Object> data) {
        if (data == null) {
            return null;
        }
        return switch (command) {
            case "status" -> NodeStatus.read(data);
            case "list-backups" -> BackupList.read(data);
            case "backup" -> BackupMade.read(data);
            case "leaderboard" -> LeaderboardAnswer.read(data);
            case "wallet-info" -> WalletInfo.read(data);
            case "update" -> RunningVersion.read("installed_version", data);
            case "health", "version" -> RunningVersion.read("binary_version", data);
            default -> null;
        };
    }
}
