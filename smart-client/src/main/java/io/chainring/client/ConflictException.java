package io.chainring.client;

/**
 * An admin change conflicts with the cluster's state: a plan already runs, the ring moved on since
 * the preview, a node to remove is still live, ... The message says which. Not applied.
 */
public class ConflictException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(ErrorCode.CONFLICT, message, false);
    }
}
