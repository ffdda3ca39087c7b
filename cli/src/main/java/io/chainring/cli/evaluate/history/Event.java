package io.chainring.cli.evaluate.history;

/** One entry of a {@link History}: an operation's {@link Invoke} or its {@link Completion}. */
public sealed interface Event permits Invoke, Completion {
    /** The operation's id, unique within a history. */
    long op();

    /** The process (a single-threaded client) that ran the operation. */
    int process();

    /** When it happened, in {@link System#nanoTime()} units. */
    long nanos();
}
