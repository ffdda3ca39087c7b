package io.chainring.controller.migration;

import io.chainring.controller.state.ClusterSnapshot;
import io.chainring.controller.state.ReplicaReport;
import io.chainring.ring.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A copying move's progress from the datanodes' reports: the total from the tail it copies
 * from (keys, data bytes), the copied part from the target's current catch-up pass, the rate
 * over that pass and the time left at that rate.
 */
final class MoveProgress {
    private MoveProgress() {
    }

    /** {@code r} with its figures brought up to date; unchanged figures when the reports say nothing newer. */
    static MoveRecord of(MoveRecord r, List<NodeId> chain, NodeId target, ClusterSnapshot state, Instant now) {
        int p = r.partition();
        ReplicaReport.PartitionFigures source = chain.isEmpty() ? ReplicaReport.PartitionFigures.NONE
                : figures(state, chain.get(chain.size() - 1), p);
        ReplicaReport.PartitionFigures copy = figures(state, target, p);
        long keysTotal = Math.max(r.keysTotal(), source.keys());
        long bytesTotal = Math.max(r.bytesTotal(), source.dataBytes());
        if (copy.catchUpStartMillis() < r.started().toEpochMilli() - 1000) {
            // the node's figures are from an older pass than this move's
            return r.withProgress(r.keysCopied(), r.bytesCopied(), keysTotal, bytesTotal, r.bytesPerSecond(), r.eta(),
                    r.updated());
        }
        long keys = Math.max(r.keysCopied(), copy.catchUpKeys());
        long bytes = Math.max(r.bytesCopied(), copy.catchUpBytes());
        double seconds = Math.max(0.001, (now.toEpochMilli() - copy.catchUpStartMillis()) / 1000.0);
        double rate = bytes / seconds;
        Optional<Duration> eta = rate > 0 && bytesTotal > 0
                ? Optional.of(Duration.ofSeconds((long) Math.ceil(Math.max(0, bytesTotal - bytes) / rate)))
                : Optional.empty();
        return r.withProgress(keys, bytes, keysTotal, bytesTotal, rate, eta, now);
    }

    private static ReplicaReport.PartitionFigures figures(ClusterSnapshot state, NodeId node, int partition) {
        return state.report(node).flatMap(rep -> rep.figures(partition)).orElse(ReplicaReport.PartitionFigures.NONE);
    }
}
