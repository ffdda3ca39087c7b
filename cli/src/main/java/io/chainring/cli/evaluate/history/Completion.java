package io.chainring.cli.evaluate.history;

import java.util.Objects;

/**
 * An operation ends. Which fields mean something depends on the operation and the outcome; use
 * the factory methods.
 *
 * @param op      the id of the completed operation
 * @param process the process that ran it
 * @param outcome how it ended
 * @param value   for a {@link OpType#READ} that is {@link Outcome#OK}: the value read, null if absent
 * @param version OK read: the value's version (0 if absent); OK write or CAS: the new version;
 *                CAS that failed with a version mismatch: the key's actual version; otherwise
 *                {@link Invoke#NO_VERSION}
 * @param existed for an OK {@link OpType#DELETE}: whether the key existed
 * @param error   for FAIL and INFO: what went wrong (null for OK)
 * @param nanos   when it ended
 */
public record Completion(long op, int process, Outcome outcome, String value, long version, boolean existed,
        String error, long nanos) implements Event {

    public Completion {
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.OK) == (error != null)) {
            throw new IllegalArgumentException("op " + op + ": an error message goes with FAIL or INFO, not with " + outcome);
        }
        if (outcome == Outcome.INFO && version != Invoke.NO_VERSION) {
            throw new IllegalArgumentException("op " + op + ": an INFO completion carries no version");
        }
    }

    /** A read that returned {@code value} (null: absent) at {@code version} (0 when absent). */
    public static Completion read(long op, int process, String value, long version, long nanos) {
        return new Completion(op, process, Outcome.OK, value, version, false, null, nanos);
    }

    /** A write or compare-and-set that stored its value at {@code version}. */
    public static Completion wrote(long op, int process, long version, long nanos) {
        return new Completion(op, process, Outcome.OK, null, version, false, null, nanos);
    }

    /** A delete that returned {@code existed}. */
    public static Completion deleted(long op, int process, boolean existed, long nanos) {
        return new Completion(op, process, Outcome.OK, null, Invoke.NO_VERSION, existed, null, nanos);
    }

    /** A compare-and-set refused because the key's version was {@code actualVersion} (0: absent). */
    public static Completion mismatch(long op, int process, long actualVersion, String error, long nanos) {
        if (actualVersion < 0) {
            throw new IllegalArgumentException("op " + op + ": actual version must be >= 0: " + actualVersion);
        }
        return new Completion(op, process, Outcome.FAIL, null, actualVersion, false, error, nanos);
    }

    /** Definitely not applied. */
    public static Completion fail(long op, int process, String error, long nanos) {
        return new Completion(op, process, Outcome.FAIL, null, Invoke.NO_VERSION, false, error, nanos);
    }

    /** Outcome unknown: may take effect at any time after the invocation, or never. */
    public static Completion info(long op, int process, String error, long nanos) {
        return new Completion(op, process, Outcome.INFO, null, Invoke.NO_VERSION, false, error, nanos);
    }

    /** Whether this is a compare-and-set's version mismatch, which reveals the key's version. */
    public boolean isMismatch() {
        return outcome == Outcome.FAIL && version != Invoke.NO_VERSION;
    }
}
