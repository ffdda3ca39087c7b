package io.chainring.datanode.replication;

/**
 * Notices a gap that resends do not fill: the applied LSN stuck below what the predecessor sends
 * for longer than a timeout (its in-memory log no longer reaches that far, e.g. it restarted).
 * Then a catch-up pass fetches what is missing. Guarded by the replica.
 */
final class GapWatch {
    private long stuckAt = -1;
    private long sinceMillis;

    /** Records a gap at {@code applied}; true once it has stayed there for {@code timeoutMillis}. */
    boolean stuck(long applied, long nowMillis, long timeoutMillis) {
        if (stuckAt != applied) {
            stuckAt = applied;
            sinceMillis = nowMillis;
            return false;
        }
        return nowMillis - sinceMillis >= timeoutMillis;
    }

    void clear() {
        stuckAt = -1;
    }
}
