package io.chainring.controller.migration;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeState;
import io.chainring.ring.Partition;
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
    public static final int DEFAULT_MAX_MOVES_PER_NODE = 2;
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
        private final List<Partition> working;
        private final Set<Integer> frozen;
        private final ClusterSnapshot state;
        private final PlanRecord plan;
        private final Instant now;
        private final List<List<NodeId>> chains = new ArrayList<>();
        private final List<List<NodeId>> learners = new ArrayList<>();
        private final SortedMap<String, MoveRecord> records;
        private final SortedMap<String, MoveRecord> writes = new TreeMap<>();
        private final Set<Integer> touched = new TreeSet<>();
        private final Map<NodeId, Integer> busy = new TreeMap<>();
        private final List<String> actions = new ArrayList<>();
        private final List<String> started = new ArrayList<>();
        private final List<String> promoted = new ArrayList<>();
        private final List<String> dropped = new ArrayList<>();
        private final List<String> cancelled = new ArrayList<>();

        Pass(List<Partition> working, Set<Integer> frozen, ClusterSnapshot state, PlanRecord plan,
             Map<String, MoveRecord> records, Instant now) {
            this.working = working;
            this.frozen = frozen;
            this.state = state;
            this.plan = plan;
            this.now = now;
            this.records = new TreeMap<>(records);
            for (Partition p : working) {
                chains.add(new ArrayList<>(p.chain().members()));
                learners.add(new ArrayList<>(p.learners()));
            }
            latest().stream().filter(r -> r.step().holdsSlot()).forEach(this::take);
        }

        Outcome run() {
            List<MoveRecord> active = records.values().stream()
                    .filter(r -> r.planId().equals(plan.id()) && !r.step().isFinished())
                    .sorted(Comparator.comparing(MoveRecord::started).thenComparing(MoveRecord::id))
                    .toList();
            for (MoveRecord r : active) {
                if (frozen.contains(r.partition()) || touched.contains(r.partition())) {
                    continue;
                }
                if (plan.state() == PlanState.CANCELLING) {
                    cancel(r);
                } else {
                    advance(r);
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
            List<Partition> out = new ArrayList<>();
            for (Partition p : working) {
                List<NodeId> c = chains.get(p.id());
                List<NodeId> l = learners.get(p.id());
                if (!c.equals(p.chain().members()) || !l.equals(p.learners())) {
                    changed.add(p.id());
                    out.add(new Partition(p.id(), new Chain(c), p.changedAt(), l));
                } else {
                    out.add(p);
                }
            }
            return new Outcome(out, changed, List.copyOf(writes.values()), newPlan, nodeStates(newPlan), actions);
        }

        // ---------------------------------------------------------------- running moves

        private void advance(MoveRecord r) {
            int p = r.partition();
            List<NodeId> c = chains.get(p);
            List<NodeId> l = learners.get(p);
            int targetSize = plan.target().get(p).length();
            Optional<NodeId> x = r.from();
            boolean xIn = x.map(c::contains).orElse(false);
            if (r.to().isEmpty()) {
                // a pure drop (the chain shrinks to the target length)
                if (!xIn) {
                    finishMove(r, MoveStep.DONE, Optional.empty());
                } else if (c.size() > targetSize && allLive(c)) {
                    c.remove(x.get());
                    touched.add(p);
                    dropped.add("p" + p + " " + x.get());
                    finishMove(r, MoveStep.DONE, Optional.empty());
                } else {
                    note(r, MoveStep.PENDING, "waiting for the chain to be whole before dropping " + x.get());
                }
                return;
            }
            NodeId y = r.to().get();
            if (c.contains(y)) {
                if (!xIn) {
                    finishMove(r, MoveStep.DONE, Optional.empty());
                } else if (c.size() > targetSize && state.isLive(y) && state.report(y).isPresent()) {
                    // y answered this pass's stats: a target killed a moment ago (its session not yet
                    // expired) keeps the source in the chain instead of being left alone in it
                    c.remove(x.get());
                    touched.add(p);
                    dropped.add("p" + p + " " + x.get());
                    finishMove(r, MoveStep.DONE, Optional.empty());
                } else if (c.size() <= targetSize && allLive(c)) {
                    // another member was lost meanwhile: Y is in, X stands in for the lost one. Finish here
                    // (releasing both slots) and let a new move replace X by the missing target member;
                    // holding the slots until the chain is whole can deadlock, since refilling it needs slots
                    finishMove(r, MoveStep.DONE, Optional.of(x.get() + " stays in place of a lost member; "
                            + "a new move replaces it"));
                } else {
                    note(r, MoveStep.PROMOTE, "holding " + x.get() + " until the chain is whole again");
                }
            } else if (l.contains(y)) {
                Partition now = working.get(p);
                boolean caughtUp = state.report(y).map(rep -> rep.caughtUpSince(p, now.changedAt())).orElse(false);
                if (caughtUp && state.isLive(y) && !c.isEmpty() && allLive(c)) {
                    l.remove(y);
                    c.add(y);
                    touched.add(p);
                    promoted.add("p" + p + " " + y);
                    transition(r, progress(r, p, y).withStep(MoveStep.PROMOTE, this.now, Optional.empty()));
                } else {
                    transition(r, progress(r, p, y).withStep(MoveStep.JOIN, this.now, Optional.empty()));
                }
            } else if (x.isPresent() && !xIn && c.size() >= targetSize) {
                // the source is gone and the chain is full without the target: repair filled it
                finishMove(r, MoveStep.CANCELLED, Optional.of("superseded: the chain was repaired without "
                        + y + " while " + x.get() + " was away"));
            } else {
                // the target left (it died and repair dropped it) or never joined: (re)start when possible
                tryStart(r, p, x, y);
            }
        }

        private void cancel(MoveRecord r) {
            int p = r.partition();
            List<NodeId> c = chains.get(p);
            List<NodeId> l = learners.get(p);
            Optional<NodeId> y = r.to();
            boolean xIn = r.from().map(c::contains).orElse(false);
            if (y.isPresent() && l.contains(y.get())) {
                l.remove(y.get());
                touched.add(p);
                cancelled.add("p" + p + " " + y.get());
                finishMove(r, MoveStep.CANCELLED, Optional.of("cancelled while copying"));
            } else if (y.isPresent() && c.contains(y.get()) && xIn && c.size() > 1) {
                c.remove(y.get());
                touched.add(p);
                cancelled.add("p" + p + " " + y.get());
                finishMove(r, MoveStep.CANCELLED, Optional.of("cancelled after promotion: " + y.get() + " left again"));
            } else if (y.isPresent() && c.contains(y.get())) {
                finishMove(r, MoveStep.DONE, Optional.of("finished before the cancel"));
            } else {
                finishMove(r, MoveStep.CANCELLED, Optional.of("cancelled before it ran"));
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
            for (int p = 0; p < chains.size(); p++) {
                if (frozen.contains(p) || touched.contains(p)) {
                    continue;
                }
                List<NodeId> c = chains.get(p);
                if (c.isEmpty()) {
                    continue;
                }
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
                for (int i = 0; i < Math.max(toAdd.size(), toRemove.size()) && !touched.contains(p); i++) {
                    Optional<NodeId> x = i < toRemove.size() ? Optional.of(toRemove.get(i)) : Optional.empty();
                    Optional<NodeId> y = i < toAdd.size() ? Optional.of(toAdd.get(i)) : Optional.empty();
                    MoveRecord fresh = MoveRecord.start(newId(p, x, y), plan.id(), p, x, y, MoveStep.PENDING, now);
                    if (y.isEmpty()) {
                        if (!adoptOnly && c.size() > t.size() && allLive(c)) {
                            c.remove(x.get());
                            touched.add(p);
                            dropped.add("p" + p + " " + x.get());
                            write(fresh.withStep(MoveStep.DONE, now, Optional.empty()));
                        }
                    } else if (learners.get(p).contains(y.get())) {
                        // repair already made the planned node a learner: the move is copying
                        transition(fresh, fresh.withStep(MoveStep.JOIN, now, Optional.empty()));
                    } else if (!adoptOnly && canStart(p, x, y.get())) {
                        join(p, y.get());
                        transition(fresh, fresh.withStep(MoveStep.JOIN, now, Optional.empty()));
                    }
                }
            }
        }

        private void tryStart(MoveRecord r, int p, Optional<NodeId> x, NodeId y) {
            if (plan.state() != PlanState.RUNNING) {
                note(r, MoveStep.PENDING, "plan paused");
                return;
            }
            // judge the slots as if this move held none (it may hold its own already)
            boolean held = r.step().holdsSlot();
            if (held) {
                release(r);
            }
            boolean start = canStart(p, x, y);
            if (held) {
                take(r);
            }
            if (start) {
                join(p, y);
                transition(r, r.withStep(MoveStep.JOIN, now, Optional.empty()));
            } else if (!state.isLive(y)) {
                note(r, MoveStep.PENDING, "waiting for " + y + " to return");
            } else {
                note(r, MoveStep.PENDING, "waiting for a healthy chain and a free slot");
            }
        }

        private boolean canStart(int p, Optional<NodeId> x, NodeId y) {
            List<NodeId> c = chains.get(p);
            return state.isLive(y) && !c.isEmpty() && allLive(c) && free(y) && x.map(this::free).orElse(true);
        }

        private void join(int p, NodeId y) {
            learners.get(p).add(y);
            touched.add(p);
            started.add("p" + p + " " + y);
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
            for (int p = 0; p < chains.size(); p++) {
                if (!new TreeSet<>(chains.get(p)).equals(new TreeSet<>(plan.target().get(p).members()))
                        || !learners.get(p).isEmpty()) {
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
            for (int p = 0; p < chains.size(); p++) {
                if (frozen.contains(p) || touched.contains(p)) {
                    continue;
                }
                List<NodeId> c = chains.get(p);
                List<NodeId> t = plan.target().get(p).members();
                wanted.clear();
                for (MoveRecord r : latest()) {
                    if (r.partition() == p && !r.step().isFinished()) {
                        r.to().ifPresent(wanted::add);
                    }
                }
                Optional<NodeId> stray = learners.get(p).stream()
                        .filter(l -> !t.contains(l) && !wanted.contains(l)).findFirst();
                if (stray.isPresent() && c.size() >= t.size() && allLive(c)) {
                    learners.get(p).remove(stray.get());
                    touched.add(p);
                    cancelled.add("p" + p + " " + stray.get() + " (unwanted learner)");
                }
            }
        }

        /**
         * While cancelling: a chain left longer than its target (a source kept in place of a member
         * lost meanwhile, then the chain refilled) sheds a member the target does not name.
         */
        private void trimOverlongChains() {
            for (int p = 0; p < chains.size(); p++) {
                if (frozen.contains(p) || touched.contains(p)) {
                    continue;
                }
                List<NodeId> c = chains.get(p);
                List<NodeId> t = plan.target().get(p).members();
                if (c.size() <= Math.max(t.size(), 1) || !allLive(c)) {
                    continue;
                }
                for (int i = c.size() - 1; i >= 0; i--) {
                    if (!t.contains(c.get(i))) {
                        dropped.add("p" + p + " " + c.get(i) + " (over-long chain)");
                        c.remove(i);
                        touched.add(p);
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
            return PlanNodeStates.changes(newPlan.orElse(plan), state, this::holdsAny);
        }

        private boolean holdsAny(NodeId id) {
            for (int p = 0; p < chains.size(); p++) {
                if (chains.get(p).contains(id)) {
                    return true;
                }
            }
            return false;
        }

        // ---------------------------------------------------------------- records

        private MoveRecord progress(MoveRecord r, int p, NodeId y) {
            return MoveProgress.of(r, chains.get(p), y, state, now);
        }

        private void finishMove(MoveRecord r, MoveStep step, Optional<String> note) {
            transition(r, r.withStep(step, now, note));
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
