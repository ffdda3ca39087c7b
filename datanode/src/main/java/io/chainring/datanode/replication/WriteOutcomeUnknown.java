package io.chainring.datanode.replication;

/**
 * A client write that the node applied as head but whose ack level it cannot confirm: the node
 * lost its place in the chain, or no answer of the new head settled it in time. The chain may
 * still commit it, or may have lost it; for the client the outcome is unknown (DESIGN §8).
 */
public final class WriteOutcomeUnknown extends RuntimeException {
    public WriteOutcomeUnknown(String message) {
        super(message);
    }
}
