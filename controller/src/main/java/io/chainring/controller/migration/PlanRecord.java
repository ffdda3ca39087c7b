package io.chainring.controller.migration;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanState;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The plan being carried out (or the last one), as stored at {@code <cluster>/plan}: the action,
 * the nodes it is about, and the target members of every partition. The executor drives the ring
 * towards the target; the moves are the difference, re-derived on every pass.
 */
public record PlanRecord(String id, PlanAction action, List<NodeId> nodes, PlanState state, List<Chain> target,
                         long ringEpochAtStart, int movesPlanned, Instant created, Optional<Instant> finished,
                         Optional<String> note, long estimatedBytes) {
    private static final Set<PlanState> ACTIVE = EnumSet.of(PlanState.RUNNING, PlanState.PAUSED, PlanState.CANCELLING);

    public PlanRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(state, "state");
        target = List.copyOf(target);
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(note, "note");
    }

    /** Running, paused or cancelling: another plan may not start. */
    public boolean isActive() {
        return ACTIVE.contains(state);
    }

    public PlanRecord withState(PlanState newState, Instant now, Optional<String> newNote) {
        boolean ends = newState == PlanState.DONE || newState == PlanState.CANCELLED;
        return new PlanRecord(id, action, nodes, newState, target, ringEpochAtStart, movesPlanned, created,
                ends ? Optional.of(now) : finished, newNote, estimatedBytes);
    }

    public PlanRecord withTarget(List<Chain> newTarget, String why) {
        return new PlanRecord(id, action, nodes, state, newTarget, ringEpochAtStart, movesPlanned, created, finished,
                Optional.of(why), estimatedBytes);
    }

    public String describe() {
        return "plan " + id + " (" + action.name().toLowerCase(java.util.Locale.ROOT) + " " + nodes + ")";
    }
}
