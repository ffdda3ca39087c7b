package io.chainring.controller.migration;

import io.chainring.ring.NodeId;
import io.chainring.thrift.PlanState;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What one move does next (DESIGN §7), as a pure function {@link #next(Situation, Observations)}
 * of the ring as this pass drafts it and what the leader observed: no clock, no ZooKeeper, no
 * records written. {@link MigrationExecutor} applies the step to the ring draft and the record.
 *
 * <p>The ring is the truth: the move's step is read from where its nodes are in the chain and
 * learner list, never from the record, so a failover or a crash resumes where the ring is.
 */
public final class MoveDecider {
    private MoveDecider() {
    }

    /**
     * The move and its partition as this pass drafts it.
     *
     * @param from       the replica leaving (none for a pure add)
     * @param to         the replica arriving (none for a pure drop)
     * @param chain      the partition's chain, head first
     * @param learners   the partition's learners
     * @param targetSize how many members the plan's target chain has
     * @param planState  the plan's state
     */
    public record Situation(Optional<NodeId> from, Optional<NodeId> to, List<NodeId> chain, List<NodeId> learners,
                            int targetSize, PlanState planState) {
        public Situation {
            chain = List.copyOf(chain);
            learners = List.copyOf(learners);
        }

        boolean sourceIn() {
            return from.map(chain::contains).orElse(false);
        }
    }

    /**
     * What the leader saw this pass.
     *
     * @param live            nodes whose live znode exists
     * @param answered        nodes that answered this pass's stats poll
     * @param targetCaughtUp  the target reported itself caught up at an epoch ≥ the partition's last change
     * @param slotsFree       neither node holds its maximum of running moves (not counting this one)
     */
    public record Observations(Set<NodeId> live, Set<NodeId> answered, boolean targetCaughtUp, boolean slotsFree) {
        public Observations {
            live = Set.copyOf(live);
            answered = Set.copyOf(answered);
        }

        boolean allLive(List<NodeId> nodes) {
            return live.containsAll(nodes);
        }
    }

    /** One step: a ring change with the record's new step, or a record-only update. */
    public sealed interface Step {
        /** The step the move's record takes. */
        MoveStep recordStep();
    }

    /** The source leaves the chain; the move is done. */
    public record DropSource(NodeId source) implements Step {
        @Override
        public MoveStep recordStep() {
            return MoveStep.DONE;
        }
    }

    /** The target joins as a learner behind the tail and starts copying. */
    public record Join(NodeId target) implements Step {
        @Override
        public MoveStep recordStep() {
            return MoveStep.JOIN;
        }
    }

    /** The caught-up learner becomes the tail. */
    public record Promote(NodeId target) implements Step {
        @Override
        public MoveStep recordStep() {
            return MoveStep.PROMOTE;
        }
    }

    /** Cancelling: the target leaves again (as a learner, or as the promoted tail). */
    public record Rollback(NodeId target, String note) implements Step {
        @Override
        public MoveStep recordStep() {
            return MoveStep.CANCELLED;
        }
    }

    /** No ring change; the record finishes as {@code recordStep} (DONE or CANCELLED). */
    public record Finish(MoveStep recordStep, Optional<String> note) implements Step {
        public Finish {
            if (!recordStep.isFinished()) {
                throw new IllegalArgumentException("a finish step must finish: " + recordStep);
            }
        }
    }

    /** No ring change: the target is copying; the record takes fresh progress figures. */
    public record Copying() implements Step {
        @Override
        public MoveStep recordStep() {
            return MoveStep.JOIN;
        }
    }

    /** No ring change: the move waits, saying why. */
    public record Wait(MoveStep recordStep, String note) implements Step {
    }

    /** The next step of a move while its plan runs, is paused, or is being cancelled. */
    public static Step next(Situation s, Observations o) {
        return s.planState() == PlanState.CANCELLING ? rollback(s) : advance(s, o);
    }

    private static Step advance(Situation s, Observations o) {
        List<NodeId> c = s.chain();
        boolean xIn = s.sourceIn();
        if (s.to().isEmpty()) {
            // a pure drop: the chain shrinks to the target length
            if (!xIn) {
                return new Finish(MoveStep.DONE, Optional.empty());
            }
            if (c.size() > s.targetSize() && o.allLive(c)) {
                return new DropSource(s.from().get());
            }
            return new Wait(MoveStep.PENDING, "waiting for the chain to be whole before dropping " + s.from().get());
        }
        NodeId y = s.to().get();
        if (c.contains(y)) {
            if (!xIn) {
                return new Finish(MoveStep.DONE, Optional.empty());
            }
            NodeId x = s.from().get();
            if (c.size() > s.targetSize() && o.live().contains(y) && o.answered().contains(y)) {
                // y answered this pass's stats: a target killed a moment ago (its session not yet
                // expired) keeps the source in the chain instead of being left alone in it
                return new DropSource(x);
            }
            if (c.size() <= s.targetSize() && o.allLive(c)) {
                // another member was lost meanwhile: Y is in, X stands in for the lost one. Finish here
                // (releasing both slots) and let a new move replace X by the missing target member;
                // holding the slots until the chain is whole can deadlock, since refilling it needs slots
                return new Finish(MoveStep.DONE, Optional.of(x + " stays in place of a lost member; a new move replaces it"));
            }
            return new Wait(MoveStep.PROMOTE, "holding " + x + " until the chain is whole again");
        }
        if (s.learners().contains(y)) {
            if (o.targetCaughtUp() && o.live().contains(y) && !c.isEmpty() && o.allLive(c)) {
                return new Promote(y);
            }
            return new Copying();
        }
        if (s.from().isPresent() && !xIn && c.size() >= s.targetSize()) {
            // the source is gone and the chain is full without the target: repair filled it
            return new Finish(MoveStep.CANCELLED, Optional.of("superseded: the chain was repaired without " + y
                    + " while " + s.from().get() + " was away"));
        }
        // the target left (it died and repair dropped it) or never joined: (re)start when possible
        if (s.planState() != PlanState.RUNNING) {
            return new Wait(MoveStep.PENDING, "plan paused");
        }
        if (o.live().contains(y) && !c.isEmpty() && o.allLive(c) && o.slotsFree()) {
            return new Join(y);
        }
        if (!o.live().contains(y)) {
            return new Wait(MoveStep.PENDING, "waiting for " + y + " to return");
        }
        return new Wait(MoveStep.PENDING, "waiting for a healthy chain and a free slot");
    }

    private static Step rollback(Situation s) {
        List<NodeId> c = s.chain();
        Optional<NodeId> y = s.to();
        if (y.isPresent() && s.learners().contains(y.get())) {
            return new Rollback(y.get(), "cancelled while copying");
        }
        if (y.isPresent() && c.contains(y.get()) && s.sourceIn() && c.size() > 1) {
            return new Rollback(y.get(), "cancelled after promotion: " + y.get() + " left again");
        }
        if (y.isPresent() && c.contains(y.get())) {
            return new Finish(MoveStep.DONE, Optional.of("finished before the cancel"));
        }
        return new Finish(MoveStep.CANCELLED, Optional.of("cancelled before it ran"));
    }
}
