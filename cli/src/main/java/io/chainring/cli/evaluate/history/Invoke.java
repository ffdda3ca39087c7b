package io.chainring.cli.evaluate.history;

import java.util.Objects;

/**
 * A process starts an operation.
 *
 * @param op              operation id, unique within a history
 * @param process         the process that runs it
 * @param type            the operation
 * @param key             the key it acts on
 * @param value           the value written by {@link OpType#WRITE} and {@link OpType#CAS}; null otherwise
 * @param expectedVersion the version a {@link OpType#CAS} expects (0: absent); {@link #NO_VERSION} otherwise
 * @param nanos           when it was invoked
 */
public record Invoke(long op, int process, OpType type, String key, String value, long expectedVersion, long nanos)
        implements Event {
    /** The expected version of an operation that is not a compare-and-set. */
    public static final long NO_VERSION = -1;

    public Invoke {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(key, "key");
        boolean writesValue = type == OpType.WRITE || type == OpType.CAS;
        if (writesValue != (value != null)) {
            throw new IllegalArgumentException(type + " of op " + op + (writesValue ? " needs a value" : " takes no value"));
        }
        if (type == OpType.CAS ? expectedVersion < 0 : expectedVersion != NO_VERSION) {
            throw new IllegalArgumentException(type + " of op " + op + ": bad expected version " + expectedVersion
                    + (type == OpType.CAS ? " (must be >= 0)" : " (only a CAS has one; pass NO_VERSION)"));
        }
    }
}
