package io.popfleet.backup;

import io.popfleet.api.ProblemException;

/**
 * The backup store cannot be reached or refuses the controller (503): the archives are not at fault, so nothing about
 * them is recorded, and the request may be repeated once the store is back.
 */
public class StoreUnavailableProblem extends ProblemException {

    public StoreUnavailableProblem(BackupStore.Unavailable cause) {
        super("backup-store-unavailable", "Backup store unavailable", 503, cause.getMessage()
                + "; nothing was recorded, try again when the store answers", null);
        initCause(cause);
    }
}
