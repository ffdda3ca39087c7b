package io.chainring.datanode.replication;

/**
 * What a replica's current (or last) catch-up pass transferred: records and their key+value
 * bytes, and when it started — the controller's progress and ETA of a move (DESIGN §7).
 * Written by the pass thread, read by stats; thread-safe.
 */
final class CatchUpProgress {
    /** A snapshot; {@code startedMillis} 0 = never ran. */
    record Snapshot(long keys, long bytes, long startedMillis) {
        static final Snapshot NONE = new Snapshot(0, 0, 0);
    }

    private Snapshot current = Snapshot.NONE;

    synchronized void begin(long nowMillis) {
        current = new Snapshot(0, 0, nowMillis);
    }

    synchronized void add(long keys, long bytes) {
        current = new Snapshot(current.keys() + keys, current.bytes() + bytes, current.startedMillis());
    }

    synchronized Snapshot snapshot() {
        return current;
    }
}
