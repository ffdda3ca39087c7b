package io.chainring.datanode.storage;

import com.sleepycat.je.DiskLimitException;
import com.sleepycat.je.EnvironmentFailureException;
import com.sleepycat.je.LockConflictException;
import java.util.Objects;

/**
 * A storage operation failed. The {@link Kind} tells the caller what it means for the node:
 * a full disk refuses writes but keeps serving reads; a failed environment serves nothing.
 */
public class StorageException extends RuntimeException {
    /** Why storage refused or failed. */
    public enum Kind {
        /** JE's MAX_DISK / FREE_DISK limit is reached: writes are refused, reads still work. */
        DISK_LIMIT,
        /** The JE environment is invalid (I/O error, corruption found by JE): the node must restart. */
        ENVIRONMENT_FAILED,
        /** A lock could not be taken in time (a stuck writer). Retrying may succeed. */
        LOCK_TIMEOUT,
        /** Stored bytes do not decode. */
        CORRUPT,
        /** The engine or the partition store is closed. */
        CLOSED,
        /** Anything else JE reported. */
        OTHER
    }

    private final Kind kind;

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    /** Wraps an exception from JE with a message that says what was being done and why it failed. */
    static StorageException translate(String what, RuntimeException e) {
        if (e instanceof StorageException se) {
            return se;
        }
        if (e instanceof DiskLimitException) {
            return new StorageException(Kind.DISK_LIMIT, what + " refused: disk limit reached (" + firstLine(e) + ")", e);
        }
        if (e instanceof EnvironmentFailureException) {
            return new StorageException(Kind.ENVIRONMENT_FAILED, what + " failed: storage environment is invalid (" + firstLine(e) + ")", e);
        }
        if (e instanceof LockConflictException) {
            return new StorageException(Kind.LOCK_TIMEOUT, what + " failed: lock timeout (" + firstLine(e) + ")", e);
        }
        if (e instanceof IllegalStateException) {
            // JE throws IllegalStateException for operations on closed handles
            return new StorageException(Kind.CLOSED, what + " failed: " + firstLine(e), e);
        }
        return new StorageException(Kind.OTHER, what + " failed: " + firstLine(e), e);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl >= 0 ? m.substring(0, nl) : m);
    }
}
