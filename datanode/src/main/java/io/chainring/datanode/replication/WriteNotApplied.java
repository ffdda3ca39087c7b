package io.chainring.datanode.replication;

/**
 * A client write that the node applied as head but that the chain will never hold: the node was
 * dropped from the chain before forwarding it, and the new head writes other data at that LSN.
 * For the client it was not applied (a safe retry).
 */
public final class WriteNotApplied extends RuntimeException {
    public WriteNotApplied(String message) {
        super(message);
    }
}
