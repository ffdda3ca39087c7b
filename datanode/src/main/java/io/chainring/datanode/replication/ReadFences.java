package io.chainring.datanode.replication;

/**
 * When a chain member may answer a LINEARIZABLE read from its own store beyond the dirty marks
 * (DESIGN §6.3). A member that does not know which keys are dirty — it just (re)started or
 * joined, or merged records in a catch-up pass — sends every read to the tail until the
 * committed LSN reaches what it held then. A tail that just joined (promoted learner) answers
 * only after hearing its predecessor at the new epoch and holding everything known committed.
 * Not thread-safe: the replica guards it.
 */
final class ReadFences {
    private long unknownDirtyUpTo;
    private boolean awaitingPredecessor;

    /** Writes up to {@code lsn} are held here without dirty marks. */
    void unknownDirtyUpTo(long lsn) {
        unknownDirtyUpTo = Math.max(unknownDirtyUpTo, lsn);
    }

    /** The node joined the chain; a joiner that is not head must hear its predecessor first. */
    void joined(boolean awaitPredecessor) {
        this.awaitingPredecessor = awaitPredecessor;
    }

    /** A batch from the current predecessor arrived (with its committed LSN). */
    void heardPredecessor() {
        awaitingPredecessor = false;
    }

    /** A member that is not the tail: must the read of a key go to the tail? */
    boolean mustAskTail(boolean dirty, long committed, long applied) {
        return dirty || committed < unknownDirtyUpTo || applied < committed;
    }

    /** The tail: may it answer reads? */
    boolean tailMayAnswer(long committed, long applied) {
        return !awaitingPredecessor && applied >= committed;
    }
}
