package io.chainring.cli.evaluate.history;

/** What a linearizability check found. */
public enum Verdict {
    /** Some order of the operations, consistent with real time, explains every result. */
    LINEARIZABLE,
    /** No such order exists. */
    NOT_LINEARIZABLE,
    /** The search ran out of its step budget or time before deciding. */
    UNKNOWN
}
