package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A working copy of every partition's members (chain and learners) that a controller pass edits
 * with the few chain changes DESIGN §6.4/§7 allow — a member leaves (the rest keep their order),
 * a learner joins behind the tail, a learner is promoted to tail, a learner leaves — and then
 * turns into the partitions that changed. Chain repair and the migration executor both draft
 * their pass here, so both speak the same vocabulary of changes and neither hand-edits lists.
 *
 * <p>Not thread-safe: one pass, one thread.
 */
public final class RingDraft {
    private final List<Partition> base;
    private final List<List<NodeId>> chains = new ArrayList<>();
    private final List<List<NodeId>> learners = new ArrayList<>();
    private final Set<Integer> touched = new TreeSet<>();

    private RingDraft(List<Partition> base) {
        this.base = List.copyOf(base);
        for (int i = 0; i < this.base.size(); i++) {
            Partition p = this.base.get(i);
            if (p.id() != i) {
                throw new IllegalArgumentException("partitions must be listed by id: found p" + p.id() + " at " + i);
            }
            chains.add(new ArrayList<>(p.chain().members()));
            learners.add(new ArrayList<>(p.learners()));
        }
    }

    /** A draft of {@code partitions} (index = id), nothing changed yet. */
    public static RingDraft of(List<Partition> partitions) {
        return new RingDraft(partitions);
    }

    public int size() {
        return base.size();
    }

    /** The partition as the pass found it. */
    public Partition base(int p) {
        return base.get(p);
    }

    /** The draft chain of p, head first (read-only view). */
    public List<NodeId> chain(int p) {
        return Collections.unmodifiableList(chains.get(p));
    }

    /** The draft learners of p (read-only view). */
    public List<NodeId> learners(int p) {
        return Collections.unmodifiableList(learners.get(p));
    }

    /** Whether this pass changed p's members already. */
    public boolean touched(int p) {
        return touched.contains(p);
    }

    /** Whether {@code node} is in any draft chain. */
    public boolean anyChainHolds(NodeId node) {
        return chains.stream().anyMatch(c -> c.contains(node));
    }

    /**
     * {@code member} leaves p's chain; the others keep their order (head lost → its successor
     * heads; tail lost → its predecessor is tail; middle lost → predecessor links to successor).
     */
    public void dropMember(int p, NodeId member) {
        if (!chains.get(p).remove(member)) {
            throw new IllegalArgumentException(member + " is not in the chain of p" + p + ": " + chains.get(p));
        }
        touched.add(p);
    }

    /** Keeps only {@code kept} of p's chain members (in their order) and only {@code keptLearners}. */
    public void retain(int p, Set<NodeId> kept, Set<NodeId> keptLearners) {
        boolean changed = chains.get(p).retainAll(kept) | learners.get(p).retainAll(keptLearners);
        if (changed) {
            touched.add(p);
        }
    }

    /** {@code node} becomes a learner of p, behind its tail. */
    public void addLearner(int p, NodeId node) {
        if (chains.get(p).contains(node) || learners.get(p).contains(node)) {
            throw new IllegalArgumentException(node + " already holds p" + p + ": chain " + chains.get(p)
                    + ", learners " + learners.get(p));
        }
        learners.get(p).add(node);
        touched.add(p);
    }

    /** The learner {@code node} leaves p. */
    public void removeLearner(int p, NodeId node) {
        if (!learners.get(p).remove(node)) {
            throw new IllegalArgumentException(node + " is not a learner of p" + p + ": " + learners.get(p));
        }
        touched.add(p);
    }

    /** The learner {@code node} (caught up) becomes p's tail; members never move. */
    public void promote(int p, NodeId node) {
        removeLearner(p, node);
        chains.get(p).add(node);
    }

    /** Every partition with its draft members; unchanged ones are the very same objects. */
    public List<Partition> partitions() {
        List<Partition> out = new ArrayList<>(base.size());
        for (Partition p : base) {
            out.add(changed(p) ? draft(p) : p);
        }
        return out;
    }

    /** The partitions whose members differ from the base, with their draft members. */
    public List<Partition> changed() {
        List<Partition> out = new ArrayList<>();
        for (Partition p : base) {
            if (changed(p)) {
                out.add(draft(p));
            }
        }
        return out;
    }

    private boolean changed(Partition p) {
        return !chains.get(p.id()).equals(p.chain().members()) || !learners.get(p.id()).equals(p.learners());
    }

    private Partition draft(Partition p) {
        return new Partition(p.id(), new Chain(chains.get(p.id())), p.changedAt(), learners.get(p.id()));
    }
}
