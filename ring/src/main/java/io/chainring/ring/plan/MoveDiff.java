package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The moves between the current and the target chains, one per replica changing hands. A
 * partition that holds no replica yet has no data to move, so it yields no move (the first
 * placement is all such partitions). Order: replicas restoring a short chain first, then those
 * draining nodes that leave, then balancing transfers, then drops nobody can take; by partition
 * within each group.
 */
final class MoveDiff {
    private MoveDiff() {
    }

    static List<Move> between(Ring current, List<Chain> target, Set<NodeId> eligible) {
        List<Move> moves = new ArrayList<>();
        for (int p = 0; p < target.size(); p++) {
            List<NodeId> before = current.partition(p).chain().members();
            if (before.isEmpty()) {
                continue;
            }
            List<NodeId> after = target.get(p).members();
            List<NodeId> removed = before.stream().filter(m -> !after.contains(m)).toList();
            List<NodeId> added = after.stream().filter(m -> !before.contains(m)).toList();
            for (int i = 0; i < Math.max(removed.size(), added.size()); i++) {
                moves.add(new Move(p, element(removed, i), element(added, i)));
            }
        }
        moves.sort(Comparator.comparingInt((Move m) -> kind(m, eligible)).thenComparingInt(Move::partition));
        return moves;
    }

    private static int kind(Move m, Set<NodeId> eligible) {
        if (m.from().isEmpty()) {
            return 0;
        }
        if (m.to().isEmpty()) {
            return 3;
        }
        return eligible.contains(m.from().get()) ? 2 : 1;
    }

    private static Optional<NodeId> element(List<NodeId> list, int i) {
        return i < list.size() ? Optional.of(list.get(i)) : Optional.empty();
    }
}
