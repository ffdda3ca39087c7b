package io.chainring.client;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The one health rule, so that {@code chainring status} and the admin UI give the same verdict
 * from the same facts ({@link #of}). A node in state {@code REMOVED} takes no part: it is neither
 * counted nor reported. Then:
 *
 * <ul>
 *   <li>{@link Verdict#UNAVAILABLE}: some partition has no live chain member (or no chain): its keys
 *       can be neither read nor written;</li>
 *   <li>{@link Verdict#DEGRADED}: otherwise, some node is down (even one that holds nothing: it
 *       waits for a restart or {@code node remove}), some live node refuses writes (at its free-disk
 *       limit; the partitions whose chain still needs it take no writes), some chain has a member
 *       down, or some chain is shorter than R (or than the number of ACTIVE nodes, when there are fewer);</li>
 *   <li>{@link Verdict#OK}: none of these.</li>
 * </ul>
 *
 * @param verdict    the cluster's health
 * @param problems   one sentence per kind of problem; empty when OK
 * @param partitions how many partitions are in each {@link PartitionHealth}
 * @param down       ids of the nodes that are down (REMOVED ones excluded)
 */
public record ClusterHealth(Verdict verdict, List<String> problems, Map<PartitionHealth, Integer> partitions,
                            List<String> down) {
    /** The cluster's health as a whole. */
    public enum Verdict {
        OK, DEGRADED, UNAVAILABLE;

        /** {@code ok}, {@code degraded}, {@code unavailable}: the word in JSON and on the pages. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How one partition fares. */
    public enum PartitionHealth {
        /** Every member is live and the chain is as long as it should be. */
        OK,
        /** Every member is live, but the chain is shorter than it should be. */
        UNDER_REPLICATED,
        /** Some members are down; the rest still serve. */
        DEGRADED,
        /** No chain, or every member is down: the partition's keys cannot be read or written. */
        UNAVAILABLE;

        /** Lower case, for JSON and CSS classes. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public ClusterHealth {
        Objects.requireNonNull(verdict, "verdict");
        problems = List.copyOf(problems);
        partitions = Map.copyOf(partitions);
        down = List.copyOf(down);
    }

    /** The verdict for this status and ring (both from {@link AdminClient}). */
    public static ClusterHealth of(ClusterStatus status, RingSnapshot ring) {
        List<NodeStatus> members = status.nodes().stream().filter(n -> !"REMOVED".equals(n.state())).toList();
        Set<String> live = members.stream().filter(NodeStatus::live).map(NodeStatus::id).collect(Collectors.toSet());
        int want = wantedChainLength(status, ring.replication());
        Map<PartitionHealth, Integer> counts = new EnumMap<>(PartitionHealth.class);
        for (PartitionHealth h : PartitionHealth.values()) {
            counts.put(h, 0);
        }
        for (RingSnapshot.PartitionChain p : ring.partitions()) {
            counts.merge(partition(p, want, live::contains), 1, Integer::sum);
        }
        List<String> problems = new ArrayList<>();
        List<String> down = members.stream().filter(n -> !n.live()).map(NodeStatus::id).toList();
        if (!down.isEmpty()) {
            problems.add("down: " + members.stream().filter(n -> !n.live())
                    .map(n -> n.id() + " (" + n.partitions() + " partitions)").collect(Collectors.joining(", ")));
        }
        List<NodeStatus> refusing = members.stream().filter(n -> n.live() && n.writeRefusal().isPresent()).toList();
        if (!refusing.isEmpty()) {
            problems.add("refusing writes: " + refusing.stream().map(n -> n.id() + " (" + n.writeRefusal().get() + ")")
                    .collect(Collectors.joining(", ")));
            Set<String> refusers = refusing.stream().map(NodeStatus::id).collect(Collectors.toSet());
            long readOnly = ring.partitions().stream().filter(p -> p.chain().stream().anyMatch(refusers::contains)).count();
            if (readOnly > 0) {
                problems.add(readOnly + " partition(s) take no writes: their chain needs a node that refuses them");
            }
        }
        if (counts.get(PartitionHealth.UNAVAILABLE) > 0) {
            problems.add(counts.get(PartitionHealth.UNAVAILABLE) + " partition(s) unavailable (no live chain member): "
                    + "their keys cannot be read or written");
        }
        if (counts.get(PartitionHealth.DEGRADED) > 0) {
            problems.add(counts.get(PartitionHealth.DEGRADED) + " partition(s) with chain members down");
        }
        if (counts.get(PartitionHealth.UNDER_REPLICATED) > 0) {
            problems.add(counts.get(PartitionHealth.UNDER_REPLICATED) + " partition(s) with fewer than " + want + " replicas");
        }
        Verdict verdict = counts.get(PartitionHealth.UNAVAILABLE) > 0 ? Verdict.UNAVAILABLE
                : problems.isEmpty() ? Verdict.OK : Verdict.DEGRADED;
        return new ClusterHealth(verdict, problems, counts, down);
    }

    /** R, or the number of ACTIVE nodes when there are fewer (at least 1): what a full chain is. */
    public static int wantedChainLength(ClusterStatus status, int replication) {
        long active = status.nodes().stream().map(NodeStatus::state).filter("ACTIVE"::equals).count();
        return (int) Math.min(replication, Math.max(1, active));
    }

    /** One partition's health: its chain against the wanted length and the live nodes. */
    public static PartitionHealth partition(RingSnapshot.PartitionChain p, int wantedLength, Predicate<String> live) {
        long up = p.chain().stream().filter(live).count();
        if (up == 0) {
            return PartitionHealth.UNAVAILABLE;
        }
        if (up < p.chain().size()) {
            return PartitionHealth.DEGRADED;
        }
        return p.chain().size() < wantedLength ? PartitionHealth.UNDER_REPLICATED : PartitionHealth.OK;
    }

    /** Whether the verdict is {@link Verdict#OK}. */
    public boolean healthy() {
        return verdict == Verdict.OK;
    }
}
