package io.chainring.client;

/**
 * The nodes kept saying the client's ring is stale through every retry (the ring is changing
 * faster than the client can follow). Not applied, unless {@link #mayHaveBeenApplied()} says an
 * earlier attempt's outcome is unknown.
 */
public class StaleRoutingException extends ChainringException {
    private static final long serialVersionUID = 1L;

    public StaleRoutingException(String message, boolean mayHaveBeenApplied) {
        super(ErrorCode.STALE_ROUTING, message, mayHaveBeenApplied);
    }
}
