package io.chainring.ring.plan;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a plan would do, for previews (CLI, admin UI): how many replicas move and how many
 * replicas, heads and tails every node holds before and after. Every node named by the ring's
 * node table or by a chain on either side appears in both maps (with zeros where it holds none).
 */
public record PlanSummary(int moves, int changedPartitions,
                          SortedMap<NodeId, RoleCounts> before, SortedMap<NodeId, RoleCounts> after) {

    /** One node's share of a ring. */
    public record RoleCounts(int replicas, int heads, int tails) {
        public static final RoleCounts NONE = new RoleCounts(0, 0, 0);
    }

    public PlanSummary {
        before = Collections.unmodifiableSortedMap(new TreeMap<>(before));
        after = Collections.unmodifiableSortedMap(new TreeMap<>(after));
    }

    public static PlanSummary of(Ring current, Plan plan) {
        Objects.requireNonNull(current, "current ring");
        Objects.requireNonNull(plan, "plan");
        if (plan.targetChains().size() != current.partitionCount()) {
            throw new IllegalArgumentException("plan has " + plan.targetChains().size()
                    + " chains, ring has " + current.partitionCount() + " partitions");
        }
        TreeMap<NodeId, int[]> before = new TreeMap<>();
        TreeMap<NodeId, int[]> after = new TreeMap<>();
        for (NodeId id : current.nodes().keySet()) {
            before.put(id, new int[3]);
            after.put(id, new int[3]);
        }
        List<Chain> currentChains = current.chains();
        tally(currentChains, before, after);
        tally(plan.targetChains(), after, before);
        int changed = 0;
        for (int p = 0; p < currentChains.size(); p++) {
            changed += currentChains.get(p).equals(plan.targetChains().get(p)) ? 0 : 1;
        }
        return new PlanSummary(plan.moves().size(), changed, freeze(before), freeze(after));
    }

    /** Counts roles into {@code into}, registering each node in {@code other} too. */
    private static void tally(List<Chain> chains, TreeMap<NodeId, int[]> into, TreeMap<NodeId, int[]> other) {
        for (Chain c : chains) {
            for (NodeId m : c.members()) {
                into.computeIfAbsent(m, k -> new int[3])[0]++;
                other.computeIfAbsent(m, k -> new int[3]);
            }
            if (!c.isEmpty()) {
                into.get(c.head())[1]++;
                into.get(c.tail())[2]++;
            }
        }
    }

    private static SortedMap<NodeId, RoleCounts> freeze(TreeMap<NodeId, int[]> counts) {
        SortedMap<NodeId, RoleCounts> out = new TreeMap<>();
        counts.forEach((id, c) -> out.put(id, new RoleCounts(c[0], c[1], c[2])));
        return out;
    }
}
