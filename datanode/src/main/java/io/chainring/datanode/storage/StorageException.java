package io.chainring.datanode.storage;

import com.sleepycat.je.DatabaseException;
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

    private static final String JE_PACKAGE = "com.sleepycat.je.";

    private final Kind kind;

    public StorageException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The storage boundary's mapping table: an exception from JE becomes a {@code StorageException}
     * whose kind says what it means for the node (DESIGN "Errors"). Only JE's own failures are
     * translated: its {@link DatabaseException}s, and the {@link IllegalStateException} it throws
     * for a closed handle (recognised by being thrown from JE's code). Anything else — an
     * {@link InvariantViolation}, or any other exception of our own code running inside a storage
     * operation (the write observers) — is returned untouched, so a bug is never reported as a
     * retryable "not serving".
     */
    static RuntimeException translate(String what, RuntimeException e) {
        if (e instanceof StorageException || e instanceof InvariantViolation) {
            return e;
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
        if (e instanceof DatabaseException) {
            return new StorageException(Kind.OTHER, what + " failed: " + firstLine(e), e);
        }
        if (e instanceof IllegalStateException && thrownByJe(e)) {
            // JE throws a plain IllegalStateException for operations on closed handles
            return new StorageException(Kind.CLOSED, what + " failed: " + firstLine(e), e);
        }
        return e;
    }

    private static boolean thrownByJe(Throwable e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith(JE_PACKAGE);
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return e.getClass().getSimpleName() + ": " + (nl >= 0 ? m.substring(0, nl) : m);
    }
}
