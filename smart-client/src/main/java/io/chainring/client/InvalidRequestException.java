package io.chainring.client;

/**
 * The request itself is wrong (an empty or too large key, a too large value, ...). Retrying cannot
 * help. Not applied; for a batch, {@link #mayHaveBeenApplied()} is true when other parts of it may
 * have been.
 */
public class InvalidRequestException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        this(message, false);
    }

    public InvalidRequestException(String message, boolean mayHaveBeenApplied) {
        super(ErrorCode.INVALID_REQUEST, message, mayHaveBeenApplied);
    }
}
