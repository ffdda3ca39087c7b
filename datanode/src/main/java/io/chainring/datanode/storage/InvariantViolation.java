package io.chainring.datanode.storage;

/**
 * A broken invariant of the node's own state: a bug, never bad input or a failing disk (for
 * example a write reaching a replica's in-flight log out of LSN order). Storage never wraps or
 * translates it; a store that sees one leave a write stops the node's storage ({@link FailStop}),
 * because a replica whose state is suspect must neither write nor serve any more. The request
 * that hit it is answered as an internal error (outcome unknown), never as a retryable refusal:
 * the write may already be committed, and a retry would write it twice.
 */
public final class InvariantViolation extends RuntimeException {
    public InvariantViolation(String message) {
        super(message);
    }
}
