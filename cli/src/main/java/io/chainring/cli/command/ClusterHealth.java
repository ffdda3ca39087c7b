package io.chainring.cli.command;

import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a cluster is healthy, and if not why: a node that holds partitions is down, or
 * partitions have fewer replicas than they should (the replication factor, or the number of
 * active nodes when there are fewer).
 *
 * @param problems one short sentence each; empty when healthy
 */
record ClusterHealth(List<String> problems) {
    ClusterHealth {
        problems = List.copyOf(problems);
    }

    static ClusterHealth of(ClusterStatus status, RingSnapshot ring) {
        List<String> problems = new ArrayList<>();
        List<String> down = status.nodes().stream().filter(n -> !n.live() && n.partitions() > 0)
                .map(n -> n.id() + " (" + n.partitions() + " partitions)").toList();
        if (!down.isEmpty()) {
            problems.add("down: " + String.join(", ", down));
        }
        long active = status.nodes().stream().map(NodeStatus::state).filter("ACTIVE"::equals).count();
        int want = (int) Math.min(ring.replication(), Math.max(1, active));
        long empty = ring.partitions().stream().filter(p -> p.chain().isEmpty()).count();
        long shortChains = ring.partitions().stream().filter(p -> !p.chain().isEmpty() && p.chain().size() < want).count();
        if (empty > 0) {
            problems.add(empty + " partition(s) without any replica");
        }
        if (shortChains > 0) {
            problems.add(shortChains + " partition(s) with fewer than " + want + " replicas");
        }
        return new ClusterHealth(problems);
    }

    boolean healthy() {
        return problems.isEmpty();
    }
}
