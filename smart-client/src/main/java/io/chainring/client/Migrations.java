package io.chainring.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Running and recent partition moves (rebalance), the plan they belong to, the throttle, and
 * re-replication (repair) in progress ({@link AdminClient#migrations()}).
 *
 * @param running                moves not yet ended
 * @param recent                 moves that ended lately, newest first as the controller keeps them
 * @param plan                   the plan being carried out, or the last one; empty if there never was one
 * @param throttleBytesPerSecond the per-node cap on moves' copies in bytes/s (each node adapts below it to its
 *                               foreground latency); 0 = unlimited
 * @param maxMovesPerNode        at most this many moves run at once per node
 * @param repair                 re-replication: its budget and the chains below R
 */
public record Migrations(List<Migration> running, List<Migration> recent, Optional<PlanInfo> plan,
                         long throttleBytesPerSecond, int maxMovesPerNode, Repair repair) {
    public Migrations {
        running = List.copyOf(running);
        recent = List.copyOf(recent);
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(repair, "repair");
    }

    /** Without repair figures (a controller that does not report them). */
    public Migrations(List<Migration> running, List<Migration> recent, Optional<PlanInfo> plan,
                      long throttleBytesPerSecond, int maxMovesPerNode) {
        this(running, recent, plan, throttleBytesPerSecond, maxMovesPerNode, Repair.UNKNOWN);
    }

    /**
     * Re-replication after failures, which runs before moves at its own rate.
     *
     * @param bytesPerSecond per-node repair budget in bytes/s (0 = unlimited, -1 = not reported)
     * @param chainsBelowR   partitions whose chain has fewer than R members
     * @param copying        of those, how many have a learner copying now
     */
    public record Repair(long bytesPerSecond, int chainsBelowR, int copying) {
        public static final Repair UNKNOWN = new Repair(-1, 0, 0);
    }
}
