package io.chainring.client;

/**
 * The call's deadline passed. When a request was on the wire the outcome is unknown and
 * {@link #mayHaveBeenApplied()} is true; read the key to find out.
 */
public class ChainringTimeoutException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public ChainringTimeoutException(String message, boolean mayHaveBeenApplied, Throwable cause) {
        super(ErrorCode.TIMEOUT, message, mayHaveBeenApplied, cause);
    }
}
