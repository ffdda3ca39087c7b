package io.chainring.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Running and recent partition moves, the plan they belong to and the throttle
 * ({@link AdminClient#migrations()}).
 *
 * @param running                moves not yet ended
 * @param recent                 moves that ended lately, newest first as the controller keeps them
 * @param plan                   the plan being carried out, or the last one; empty if there never was one
 * @param throttleBytesPerSecond the per-node copy throttle in bytes/s; 0 = unlimited
 * @param maxMovesPerNode        at most this many moves run at once per node
 */
public record Migrations(List<Migration> running, List<Migration> recent, Optional<PlanInfo> plan,
                         long throttleBytesPerSecond, int maxMovesPerNode) {
    public Migrations {
        running = List.copyOf(running);
        recent = List.copyOf(recent);
        Objects.requireNonNull(plan, "plan");
    }
}
