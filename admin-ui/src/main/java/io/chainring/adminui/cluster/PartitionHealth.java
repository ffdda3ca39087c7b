package io.chainring.adminui.cluster;

import io.chainring.client.RingSnapshot;
import java.util.function.Predicate;

/** How one partition fares, judged from its chain and which nodes are live. */
public enum PartitionHealth {
    /** Chain of R nodes, all live. */
    OK,
    /** Every chain member is live but the chain is shorter than R. */
    UNDER_REPLICATED,
    /** Some chain members are down; the rest still serve. */
    DEGRADED,
    /** The chain is empty or every member is down: the partition's keys cannot be read or written. */
    UNAVAILABLE;

    public static PartitionHealth of(RingSnapshot.PartitionChain p, int replication, Predicate<String> live) {
        if (p.chain().isEmpty()) {
            return UNAVAILABLE;
        }
        long up = p.chain().stream().filter(live).count();
        if (up == 0) {
            return UNAVAILABLE;
        }
        if (up < p.chain().size()) {
            return DEGRADED;
        }
        return p.chain().size() < replication ? UNDER_REPLICATED : OK;
    }

    /** Lower case, for JSON and CSS classes. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
