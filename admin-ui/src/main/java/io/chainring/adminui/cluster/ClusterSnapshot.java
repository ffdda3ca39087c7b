package io.chainring.adminui.cluster;

import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one poll learned: the controller's status and ring and each live datanode's stats.
 * When a poll fails the previous status and ring are kept, with the error and the time of the
 * last good poll, so the pages can say how stale they are.
 *
 * @param at          when this poll finished
 * @param status      the controller's view (null until the first good poll)
 * @param ring        the controller's ring (null until the first good poll)
 * @param reports     per node id, the stats the UI got from that node in this poll
 * @param error       why this poll failed; null when it worked
 * @param lastSuccess when the last good poll finished (null if none)
 */
public record ClusterSnapshot(Instant at, ClusterStatus status, RingSnapshot ring, Map<String, NodeReport> reports,
                              String error, Instant lastSuccess) {
    public ClusterSnapshot {
        Objects.requireNonNull(at, "at");
        reports = Map.copyOf(reports);
        if ((status == null) != (ring == null)) {
            throw new IllegalArgumentException("status and ring come together");
        }
    }

    /** Before the first poll. */
    public static ClusterSnapshot initial(Instant now) {
        return new ClusterSnapshot(now, null, null, Map.of(), "the cluster has not been polled yet", null);
    }

    public boolean hasData() {
        return status != null;
    }

    /** The node's status as the controller reports it. */
    public Optional<NodeStatus> node(String id) {
        return status == null ? Optional.empty() : status.node(id);
    }

    /** Whether the controller reports the node's ZooKeeper session alive. */
    public boolean isLive(String id) {
        return node(id).map(NodeStatus::live).orElse(false);
    }

    public Optional<NodeReport> report(String id) {
        return Optional.ofNullable(reports.get(id));
    }

    /** This poll's result with a failure: the earlier data stays, marked by the error. */
    public ClusterSnapshot failed(Instant now, String why) {
        return new ClusterSnapshot(now, status, ring, reports, why, lastSuccess);
    }
}
