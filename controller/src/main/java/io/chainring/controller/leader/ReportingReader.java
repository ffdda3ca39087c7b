package io.chainring.controller.leader;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ReplicaReport;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The read stage with repair's facts: the ZooKeeper snapshot, then — only when
 * {@link ChainRepair#needsReports repair needs them} — the replica reports of the live nodes,
 * asked at their registered addresses.
 */
public final class ReportingReader implements Supplier<ClusterSnapshot> {
    private final Supplier<ClusterSnapshot> zookeeper;
    private final Function<Map<NodeId, HostPort>, SortedMap<NodeId, ReplicaReport>> poll;

    public ReportingReader(Supplier<ClusterSnapshot> zookeeper,
                           Function<Map<NodeId, HostPort>, SortedMap<NodeId, ReplicaReport>> poll) {
        this.zookeeper = Objects.requireNonNull(zookeeper, "zookeeper");
        this.poll = Objects.requireNonNull(poll, "poll");
    }

    @Override
    public ClusterSnapshot get() {
        ClusterSnapshot state = zookeeper.get();
        if (state.ring().isEmpty()) {
            return state;
        }
        Ring ring = state.ring().get().ring();
        if (!ChainRepair.needsReports(ring, state)) {
            return state;
        }
        Map<NodeId, HostPort> targets = new TreeMap<>();
        for (NodeId id : ChainRepair.reportTargets(ring, state)) {
            state.registration(id).map(NodeInfo::address).ifPresent(a -> targets.put(id, a));
        }
        return targets.isEmpty() ? state : state.withReports(poll.apply(targets));
    }
}
