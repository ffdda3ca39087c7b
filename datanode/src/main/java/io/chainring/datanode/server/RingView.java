package io.chainring.datanode.server;

import io.chainring.ring.Ring;
import java.util.Optional;

/**
 * The node's view of the ring and whether it may serve. The datanode backs it with ZooKeeper
 * (the ring znode and the session state); request handling only needs this much.
 */
public interface RingView {
    /** The newest ring known, or empty before the first one arrived. */
    Optional<Ring> current();

    /**
     * Re-reads the ring from its source (used when a client shows a newer epoch than the node's)
     * and returns the newest ring known afterwards. Never goes back to an older epoch.
     *
     * @throws RuntimeException when the source cannot be read
     */
    Optional<Ring> refresh();

    /**
     * The newest ring once its epoch reaches {@code epoch}, waiting up to {@code max} for it to
     * arrive by itself (the watch); empty when it did not. Interrupts count as "did not".
     */
    default Optional<Ring> awaitEpoch(long epoch, java.time.Duration max) {
        return current().filter(r -> r.epoch() >= epoch);
    }

    /**
     * Whether the node may answer requests now. False while the ZooKeeper session is not
     * connected (DESIGN §6.4: a partitioned node must not serve stale data), before the first
     * ring, and after a reconnect until the ring has been re-read.
     */
    boolean serving();

    /**
     * Why {@code node} refuses writes now (at its free-disk limit), if it does: this node's own
     * verdict for itself, the one published in ZooKeeper for the others (issue 12 defect 5).
     */
    default Optional<String> writeRefusal(io.chainring.ring.NodeId node) {
        return Optional.empty();
    }
}
