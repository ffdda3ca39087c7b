package io.chainring.controller.migration;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
import io.chainring.ring.plan.RingDraft;
import io.chainring.thrift.PlanAction;
import io.chainring.thrift.PlanState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The migration executor of DESIGN §7 as a pure function: from the ring (after this pass's chain
 * repair), what the datanodes reported, the plan and its move records, to the chain changes of
 * this pass, the records to write, the plan's new state and the node states to set.
 *
 * <p>A move of partition p from X to Y is three ring changes, at most one per partition per pass:
 * <b>join</b> (Y becomes a learner behind the tail and copies p from it), <b>promote</b> (Y,
 * caught up, becomes the tail: the chain has R+1 members), <b>drop</b> (X leaves; the successor
 * takes over if X was the head). Each step is re-derived from the ring, never trusted from the
 * record, so a controller failover, a node crash or a lost session resumes where the ring is:
 * a target that died (and was dropped by repair) makes its move pending again and it rejoins when
 * it returns; a source that died makes the move done once the target is in the chain.
 *
 * <p>Rules: a move starts only while its plan runs, its target is live, every chain member is
 * live, and neither node already holds {@code maxMovesPerNode} running moves. X is dropped only
 * while the chain is longer than the target chain, so a chain that lost another member meanwhile
 * keeps X until it is whole again. Cancelling rolls back: learners leave, promoted targets leave
 * (a tail drop, harmless), sources stay.
 */
public final class MigrationExecutor {
    /** Default of the controller's max moves per node. */
    public static final int DEFAULT_MAX_MOVES_PER_NODE = 8;
    /** How often a copying move's progress is written to its record at most. */
    static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

    private final int maxMovesPerNode;

    public MigrationExecutor(int maxMovesPerNode) {
        if (maxMovesPerNode < 1) {
            throw new IllegalArgumentException("max moves per node must be at least 1: " + maxMovesPerNode);
        }
        this.maxMovesPerNode = maxMovesPerNode;
    }

    public int maxMovesPerNode() {
        return maxMovesPerNode;
    }

    /**
     * What one pass of the executor wants.
     *
     * @param partitions   every partition's members after this pass (index = id)
     * @param changed      ids of partitions whose members this pass changed
     * @param records      move records to write (new or changed)
     * @param plan         the plan with its new state, when it changed
     * @param nodeStates   registrations whose state must change
     * @param actions      what changed, for the log
     */
    public record Outcome(List<Partition> partitions, Set<Integer> changed, List<MoveRecord> records,
                          Optional<PlanRecord> plan, SortedMap<NodeId, NodeState> nodeStates, List<String> actions) {
        public Outcome {
            partitions = List.copyOf(partitions);
            changed = Set.copyOf(changed);
            records = List.copyOf(records);
            nodeStates = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(nodeStates));
            actions = List.copyOf(actions);
        }
    }

    /**
     * @param working   every partition's members as this pass's repair left them
     * @param frozen    partitions repair changed in this pass (the executor leaves them for the next)
     * @param records   the plan's move records by id
     */
    public Outcome step(List<Partition> working, Set<Integer> frozen, ClusterSnapshot state, PlanRecord plan,
                        Map<String, MoveRecord> records, Instant now) {
        return new Pass(working, frozen, state, plan, records, now).run();
    }

    /** The node states a plan implies while it is active. */
    public static NodeState activeStateOf(PlanAction action) {
        return switch (action) {
            case ADD -> NodeState.JOINING;
            case DECOMMISSION -> NodeState.DECOMMISSIONING;
            case REMOVE -> NodeState.REMOVED;
        };
    }

    private final class Pass {
        private final RingDraft draft;
        private final Set<Integer> frozen;
        private final ClusterSnapshot state;
        private final PlanRecord plan;
        private final Instant now;
        private final SortedMap<String, MoveRecord> records;
        private final SortedMap<String, MoveRecord> writes = new TreeMap<>();
        private final Map<NodeId, Integer> busy = new TreeMap<>();
        private final Set<NodeId> answered;
        private final List<String> actions = new ArrayList<>();
        private final List<String> started = new ArrayList<>();
        private final List<String> promoted = new ArrayList<>();
        private final List<String> dropped = new ArrayList<>();
        private final List<String> cancelled = new ArrayList<>();

        Pass(List<Partition> working, Set<Integer> frozen, ClusterSnapshot state, PlanRecord plan,
             Map<String, MoveRecord> records, Instant now) {
            this.draft = RingDraft.of(working);
            this.frozen = frozen;
            this.state = state;
            this.plan = plan;
            this.now = now;
            this.records = new TreeMap<>(records);
            this.answered = state.reports().keySet();
            latest().stream().filter(r -> r.step().holdsSlot()).forEach(this::take);
        }

        Outcome run() {
            List<MoveRecord> active = records.values().stream()
                    .filter(r -> r.planId().equals(plan.id()) && !r.step().isFinished())
                    .sorted(Comparator.comparing(MoveRecord::started).thenComparing(MoveRecord::id))
                    .toList();
            for (MoveRecord r : active) {
                if (!frozen.contains(r.partition()) && !draft.touched(r.partition())) {
                    apply(r, MoveDecider.next(situation(r), observations(r)));
                }
            }
            if (plan.state() == PlanState.RUNNING) {
                startNewMoves();
                dropStrayLearners();
            }
            if (plan.state() == PlanState.CANCELLING) {
                trimOverlongChains();
            }
            Optional<PlanRecord> newPlan = finish();
            summarize();
            Set<Integer> changed = new TreeSet<>();
            draft.changed().forEach(p -> changed.add(p.id()));
            return new Outcome(draft.partitions(), changed, List.copyOf(writes.values()), newPlan, nodeStates(newPlan), actions);
        }

        // ---------------------------------------------------------------- one move, one step

        private MoveDecider.Situation situation(MoveRecord r) {
            int p = r.partition();
            return new MoveDecider.Situation(r.from(), r.to(), draft.chain(p), draft.learners(p),
                    plan.target().get(p).length(), plan.state());
        }

        private MoveDecider.Observations observations(MoveRecord r) {
            int p = r.partition();
            long changedAt = draft.base(p).changedAt();
            boolean caughtUp = r.to().flatMap(state::report).map(rep -> rep.caughtUpSince(p, changedAt)).orElse(false);
            // judge the slots as if this move held none (it may hold its own already)
            boolean held = r.step().holdsSlot();
            if (held) {
                release(r);
            }
            boolean slots = r.to().map(this::free).orElse(true) && r.from().map(this::free).orElse(true);
            if (held) {
                take(r);
            }
            return new MoveDecider.Observations(state.live(), answered, caughtUp, slots);
        }

        /** Carries out one step: the ring change (if any) in the draft, and the record's new state. */
        private void apply(MoveRecord r, MoveDecider.Step step) {
            int p = r.partition();
            // Java 17: no pattern switch yet; the step types are sealed, so the last branch is the only one left
            if (step instanceof MoveDecider.DropSource d) {
                draft.dropMember(p, d.source());
                dropped.add("p" + p + " " + d.source());
                transition(r, r.withStep(MoveStep.DONE, now, Optional.empty()));
            } else if (step instanceof MoveDecider.Join j) {
                draft.addLearner(p, j.target());
                started.add("p" + p + " " + j.target());
                transition(r, r.withStep(MoveStep.JOIN, now, Optional.empty()));
            } else if (step instanceof MoveDecider.Promote pr) {
                draft.promote(p, pr.target());
                promoted.add("p" + p + " " + pr.target());
                transition(r, progress(r, p, pr.target()).withStep(MoveStep.PROMOTE, now, Optional.empty()));
            } else if (step instanceof MoveDecider.Rollback rb) {
                if (draft.learners(p).contains(rb.target())) {
                    draft.removeLearner(p, rb.target());
                } else {
                    draft.dropMember(p, rb.target());
                }
                cancelled.add("p" + p + " " + rb.target());
                transition(r, r.withStep(MoveStep.CANCELLED, now, Optional.of(rb.note())));
            } else if (step instanceof MoveDecider.Finish f) {
                transition(r, r.withStep(f.recordStep(), now, f.note()));
            } else if (step instanceof MoveDecider.Copying) {
                transition(r, progress(r, p, r.to().orElseThrow()).withStep(MoveStep.JOIN, now, Optional.empty()));
            } else {
                MoveDecider.Wait w = (MoveDecider.Wait) step;
                note(r, w.recordStep(), w.note());
            }
        }

        // ---------------------------------------------------------------- new moves

        private void startNewMoves() {
            // learners the ring already has for the plan (repair's, or a move whose record a crashed leader
            // never wrote) are adopted first, so they count against the slots before new moves take them
            startNewMoves(true);
            startNewMoves(false);
        }

        private void startNewMoves(boolean adoptOnly) {
            for (int p = 0; p < draft.size(); p++) {
                if (frozen.contains(p) || draft.touched(p) || draft.chain(p).isEmpty()) {
                    continue;
                }
                List<NodeId> c = draft.chain(p);
                List<NodeId> t = plan.target().get(p).members();
                Set<NodeId> coveredFrom = new TreeSet<>();
                Set<NodeId> coveredTo = new TreeSet<>();
                for (MoveRecord r : latest()) { // moves this pass created count too
                    if (r.partition() == p && !r.step().isFinished()) {
                        r.from().ifPresent(coveredFrom::add);
                        r.to().ifPresent(coveredTo::add);
                    }
                }
                List<NodeId> toAdd = t.stream().filter(n -> !c.contains(n) && !coveredTo.contains(n)).toList();
                List<NodeId> toRemove = c.stream().filter(n -> !t.contains(n) && !coveredFrom.contains(n)).toList();
                for (int i = 0; i < Math.max(toAdd.size(), toRemove.size()) && !draft.touched(p); i++) {
                    Optional<NodeId> x = i < toRemove.size() ? Optional.of(toRemove.get(i)) : Optional.empty();
                    Optional<NodeId> y = i < toAdd.size() ? Optional.of(toAdd.get(i)) : Optional.empty();
                    MoveRecord fresh = MoveRecord.start(newId(p, x, y), plan.id(), p, x, y, MoveStep.PENDING, now);
                    if (y.isPresent() && draft.learners(p).contains(y.get())) {
                        // repair already made the planned node a learner: the move is copying
                        transition(fresh, fresh.withStep(MoveStep.JOIN, now, Optional.empty()));
                        continue;
                    }
                    if (adoptOnly) {
                        continue;
                    }
                    MoveDecider.Step step = MoveDecider.next(situation(fresh), observations(fresh));
                    // a new move is recorded only once it changes the ring; waiting moves are re-derived next pass
                    if (step instanceof MoveDecider.DropSource || step instanceof MoveDecider.Join) {
                        apply(fresh, step);
                    }
                }
            }
        }

        private boolean free(NodeId n) {
            return busy.getOrDefault(n, 0) < maxMovesPerNode;
        }

        private void take(MoveRecord r) {
            r.from().ifPresent(n -> busy.merge(n, 1, Integer::sum));
            r.to().ifPresent(n -> busy.merge(n, 1, Integer::sum));
        }

        private void release(MoveRecord r) {
            r.from().ifPresent(n -> busy.merge(n, -1, Integer::sum));
            r.to().ifPresent(n -> busy.merge(n, -1, Integer::sum));
        }

        private String newId(int p, Optional<NodeId> x, Optional<NodeId> y) {
            String base = plan.id() + "-p" + p + "-" + x.map(NodeId::value).orElse("none") + "-"
                    + y.map(NodeId::value).orElse("none");
            String id = base;
            for (int n = 2; records.containsKey(id) || writes.containsKey(id); n++) {
                id = base + "-" + n;
            }
            return id;
        }

        // ---------------------------------------------------------------- plan end

        private Optional<PlanRecord> finish() {
            boolean anyActive = latest().stream().anyMatch(r -> !r.step().isFinished());
            if (plan.state() == PlanState.CANCELLING && !anyActive) {
                return Optional.of(plan.withState(PlanState.CANCELLED, now, plan.note()));
            }
            if ((plan.state() == PlanState.RUNNING || plan.state() == PlanState.PAUSED) && !anyActive && reached()) {
                return Optional.of(plan.withState(PlanState.DONE, now, Optional.empty()));
            }
            return Optional.empty();
        }

        /** Every partition's chain has exactly the target's members and no learner of the plan's nodes. */
        private boolean reached() {
            for (int p = 0; p < draft.size(); p++) {
                if (!new TreeSet<>(draft.chain(p)).equals(new TreeSet<>(plan.target().get(p).members()))
                        || !draft.learners(p).isEmpty()) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A learner no move wants (repair added it to a chain that was short; the plan then filled
         * the chain with its own target) leaves once the chain is whole, instead of copying forever.
         */
        private void dropStrayLearners() {
            Set<NodeId> wanted = new TreeSet<>();
            for (int p = 0; p < draft.size(); p++) {
                if (frozen.contains(p) || draft.touched(p)) {
                    continue;
                }
                List<NodeId> c = draft.chain(p);
                List<NodeId> t = plan.target().get(p).members();
                wanted.clear();
                for (MoveRecord r : latest()) {
                    if (r.partition() == p && !r.step().isFinished()) {
                        r.to().ifPresent(wanted::add);
                    }
                }
                Optional<NodeId> stray = draft.learners(p).stream()
                        .filter(l -> !t.contains(l) && !wanted.contains(l)).findFirst();
                if (stray.isPresent() && c.size() >= t.size() && allLive(c)) {
                    draft.removeLearner(p, stray.get());
                    cancelled.add("p" + p + " " + stray.get() + " (unwanted learner)");
                }
            }
        }

        /**
         * While cancelling: a chain left longer than its target (a source kept in place of a member
         * lost meanwhile, then the chain refilled) sheds a member the target does not name.
         */
        private void trimOverlongChains() {
            for (int p = 0; p < draft.size(); p++) {
                if (frozen.contains(p) || draft.touched(p)) {
                    continue;
                }
                List<NodeId> c = draft.chain(p);
                List<NodeId> t = plan.target().get(p).members();
                if (c.size() <= Math.max(t.size(), 1) || !allLive(c)) {
                    continue;
                }
                for (int i = c.size() - 1; i >= 0; i--) {
                    if (!t.contains(c.get(i))) {
                        NodeId extra = c.get(i);
                        dropped.add("p" + p + " " + extra + " (over-long chain)");
                        draft.dropMember(p, extra);
                        break;
                    }
                }
            }
        }

        /** This plan's records as this pass leaves them. */
        private List<MoveRecord> latest() {
            SortedMap<String, MoveRecord> all = new TreeMap<>(records);
            all.putAll(writes);
            return all.values().stream().filter(r -> r.planId().equals(plan.id())).toList();
        }

        /** Registrations to change: the plan's nodes take its active state, or their final one when it ends. */
        private SortedMap<NodeId, NodeState> nodeStates(Optional<PlanRecord> newPlan) {
            return PlanNodeStates.changes(newPlan.orElse(plan), state, draft::anyChainHolds);
        }

        // ---------------------------------------------------------------- records

        private MoveRecord progress(MoveRecord r, int p, NodeId y) {
            return MoveProgress.of(r, draft.chain(p), y, state, now);
        }

        private void note(MoveRecord r, MoveStep step, String note) {
            MoveRecord updated = r.withStep(step, now, Optional.of(note));
            if (updated.sameAs(r)) {
                return;
            }
            transition(r, updated);
        }

        /** Records a move's new state, taking or releasing its slots when it starts or stops holding them. */
        private void transition(MoveRecord before, MoveRecord after) {
            if (!before.step().holdsSlot() && after.step().holdsSlot()) {
                take(after);
            } else if (before.step().holdsSlot() && !after.step().holdsSlot()) {
                release(before);
            }
            write(after);
        }

        private void write(MoveRecord r) {
            MoveRecord before = records.get(r.id());
            if (before == null || r.step() != before.step() || !r.note().equals(before.note())) {
                writes.put(r.id(), r);
            } else if (!r.sameAs(before)
                    && Duration.between(before.updated(), r.updated()).compareTo(PROGRESS_INTERVAL) >= 0) {
                // progress alone is recorded about once a second, however often the leader passes
                writes.put(r.id(), r);
            }
        }

        private boolean allLive(Collection<NodeId> nodes) {
            return nodes.stream().allMatch(state::isLive);
        }

        private void summarize() {
            String plan = this.plan.describe();
            if (!started.isEmpty()) {
                actions.add(plan + ": " + started.size() + " moves joined (learners): " + listed(started));
            }
            if (!promoted.isEmpty()) {
                actions.add(plan + ": promoted " + promoted.size() + " caught-up targets to tail: " + listed(promoted));
            }
            if (!dropped.isEmpty()) {
                actions.add(plan + ": dropped " + dropped.size() + " sources: " + listed(dropped));
            }
            if (!cancelled.isEmpty()) {
                actions.add(plan + ": rolled back " + cancelled.size() + " moves: " + listed(cancelled));
            }
        }
    }

    private static String listed(List<String> items) {
        int shown = 8;
        if (items.size() <= shown) {
            return String.join(", ", items);
        }
        return String.join(", ", items.subList(0, shown)) + ", ... (" + (items.size() - shown) + " more)";
    }
}
