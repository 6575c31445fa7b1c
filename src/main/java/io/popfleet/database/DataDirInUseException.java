package io.popfleet.database;

import java.nio.file.Path;

/** Another controller holds the data directory; the message is one line an operator can act on. */
public final class DataDirInUseException extends IllegalStateException {

    DataDirInUseException(Path dir, Path lockFile) {
        super("another PoP Fleet controller is already using the data directory " + dir + " (it holds " + lockFile
                + "); stop it first or set popfleet.data-dir to another directory");
    }
}
