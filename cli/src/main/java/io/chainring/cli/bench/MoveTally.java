package io.chainring.cli.bench;

import io.chainring.client.Migration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The moves of one plan as seen over successive {@code migrations()} polls: the controller lists
 * running moves and only the latest finished ones, so each move is remembered by id with the
 * last progress seen. Used by one thread.
 */
public final class MoveTally {
    private final String planId;
    private final Map<String, Migration> moves = new HashMap<>();

    public MoveTally(String planId) {
        this.planId = planId;
    }

    /** Takes in one poll's running and recent moves; moves of other plans are ignored. */
    public void observe(List<Migration> running, List<Migration> recent) {
        for (List<Migration> list : List.of(recent, running)) {
            for (Migration m : list) {
                if (m.planId().equals(planId)) {
                    moves.merge(m.id(), m, MoveTally::later);
                }
            }
        }
    }

    /** Of two views of one move, the one further along (a finished move never goes back to running). */
    private static Migration later(Migration a, Migration b) {
        if (a.finished() != b.finished()) {
            return a.finished() ? a : b;
        }
        return b.updatedAt().isBefore(a.updatedAt()) ? a : b;
    }

    /** Moves seen, in any step. */
    public int seen() {
        return moves.size();
    }

    /** Moves that reached {@code done}. */
    public int done() {
        return (int) moves.values().stream().filter(m -> m.step().equals("done")).count();
    }

    /** Moves that were cancelled. */
    public int cancelled() {
        return (int) moves.values().stream().filter(m -> m.step().equals("cancelled")).count();
    }

    /** Bytes copied, summed over the moves. */
    public long bytesCopied() {
        return moves.values().stream().mapToLong(Migration::bytesCopied).sum();
    }

    /** Keys copied, summed over the moves. */
    public long keysCopied() {
        return moves.values().stream().mapToLong(Migration::keysCopied).sum();
    }
}
