package io.chainring.datanode.replication;

/**
 * Catch-up progress of one partition replica: a learner's first pass (snapshot of what it lacks
 * while the live stream runs), or a member's pass over a gap its predecessor cannot fill from
 * memory. A learner is caught up once its pass is done, no key is suspect, and a batch arrived
 * since without a gap. Guarded by the replica; {@link #suspects()} is thread-safe on its own.
 */
final class CatchUpState {
    private final Suspects suspects = new Suspects();
    private boolean running;
    private boolean learner;
    private boolean learnerPassDone;
    private boolean heardClean;

    /** A learner's catch-up begins: its pass must run before it can be caught up. */
    void begin() {
        running = true;
        learner = true;
        learnerPassDone = false;
        heardClean = false;
    }

    /** A pass over a gap begins (a member, or a learner whose gap the tail cannot fill). */
    void startGapPass() {
        running = true;
        heardClean = false;
    }

    void finish() {
        running = false;
        if (learner) {
            learnerPassDone = true;
        }
        heardClean = false;
    }

    /** The pass was given up (the node is closing or left the partition). */
    void fail() {
        running = false;
    }

    /** A batch arrived; {@code clean} when it left no gap. */
    void heard(boolean clean) {
        if (!running) {
            heardClean = clean;
        }
    }

    boolean running() {
        return running;
    }

    boolean caughtUp() {
        return learner && learnerPassDone && !running && heardClean && suspects.isEmpty();
    }

    Suspects suspects() {
        return suspects;
    }
}
