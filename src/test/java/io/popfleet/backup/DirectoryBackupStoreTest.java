package io.popfleet.backup;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

class DirectoryBackupStoreTest extends BackupStoreContract {

    @TempDir
    Path dir;

    private int stores;

    @Override
    BackupStore store() throws Exception {
        return new DirectoryBackupStore(dir.resolve("store-" + stores++));
    }

    @Override
    BackupStore reopen(BackupStore store) throws Exception {
        return new DirectoryBackupStore(store.workDirectory());
    }
}
