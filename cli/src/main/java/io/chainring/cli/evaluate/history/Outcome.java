package io.chainring.cli.evaluate.history;

/** How an operation ended, as Jepsen/Knossos classify completions. */
public enum Outcome {
    /** Completed; its result is known. */
    OK,
    /** Definitely not applied (a refusal, or a compare-and-set that found another version). */
    FAIL,
    /**
     * Unknown (a timeout or a broken connection): it may or may not have taken effect, at any
     * point after its invocation. Such an operation stays open forever.
     */
    INFO
}
