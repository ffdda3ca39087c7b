package io.chainring.client;

/**
 * A connection broke while a request was on the wire, so its outcome is unknown
 * ({@link #mayHaveBeenApplied()} is true). Thrown for operations the client does not retry
 * blindly (compare-and-set) or after the last retry.
 */
public class ConnectionException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public ConnectionException(String message, boolean mayHaveBeenApplied, Throwable cause) {
        super(ErrorCode.CONNECTION, message, mayHaveBeenApplied, cause);
    }
}
