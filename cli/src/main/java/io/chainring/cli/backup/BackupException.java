package io.chainring.cli.backup;

import java.io.IOException;

/** A backup that cannot be made or restored, with the reason for the operator. */
public final class BackupException extends IOException {
    public BackupException(String message) {
        super(message);
    }

    public BackupException(String message, Throwable cause) {
        super(message, cause);
    }
}
