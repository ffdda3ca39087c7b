package io.chainring.client;

/**
 * No node could take the request: too few replicas, nodes not serving or not reachable, or no
 * seed reachable when the client started. Not applied, unless {@link #mayHaveBeenApplied()} says
 * an earlier attempt's outcome is unknown. Retrying later may succeed.
 */
public class UnavailableException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public UnavailableException(String message) {
        this(message, false, null);
    }

    public UnavailableException(String message, boolean mayHaveBeenApplied, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, mayHaveBeenApplied, cause);
    }
}
