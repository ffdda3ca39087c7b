package io.chainring.client;

/**
 * The head applied the write as {@link #version()} but could not confirm the ack level asked for
 * (not in time, or its place in the chain changed meanwhile): the write may still commit, or may
 * be lost with the chain. {@link #mayHaveBeenApplied()} is always true and the client does not
 * retry; read the key to find out (a read showing {@link #version()} or later means it stuck).
 */
public class OutcomeUnknownException extends ChainringException {
    private static final long serialVersionUID = 1L;

    private final long version;

    public OutcomeUnknownException(String message, long version) {
        super(ErrorCode.OUTCOME_UNKNOWN, message, true);
        this.version = version;
    }

    /** The version the head wrote (for a batch, the highest of its group); 0 when the server did not say. */
    public long version() {
        return version;
    }
}
