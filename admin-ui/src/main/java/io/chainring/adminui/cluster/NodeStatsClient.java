package io.chainring.adminui.cluster;

import io.chainring.ring.HostPort;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.PartitionStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Asks one datanode for its {@code node-admin.stats()} over a short-lived Thrift connection
 * (framed, binary, multiplexed, as every Chainring server speaks). One connection per call: the
 * UI polls each node about once a second, so pooling would buy nothing.
 */
public final class NodeStatsClient {
    /** Stats answers are small; refuse anything absurd rather than allocate it. */
    private static final int MAX_FRAME_BYTES = 16 * 1024 * 1024;

    private final Duration timeout;

    public NodeStatsClient(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The node's stats.
     *
     * @throws TException when the node cannot be reached or answers with an error
     */
    public NodeReport.Stats stats(String address) throws TException {
        HostPort hp = HostPort.parse(address);
        int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        TConfiguration limits = TConfiguration.custom().setMaxFrameSize(MAX_FRAME_BYTES)
                .setMaxMessageSize(MAX_FRAME_BYTES + 1024).build();
        TSocket socket = new TSocket(limits, hp.host(), hp.port(), millis, millis);
        try (TFramedTransport transport = new TFramedTransport(socket, MAX_FRAME_BYTES)) {
            transport.open();
            NodeAdminService.Client admin = new NodeAdminService.Client(
                    new TMultiplexedProtocol(new TBinaryProtocol(transport), "node-admin"));
            return convert(admin.stats());
        }
    }

    static NodeReport.Stats convert(NodeStats s) {
        List<NodeReport.PartitionStat> partitions = new ArrayList<>(s.getPartitionsSize());
        for (PartitionStats p : s.getPartitions()) {
            partitions.add(new NodeReport.PartitionStat(p.getPartition(), p.getPosition(), p.getKeys(), p.getLastLsn(),
                    p.getCommittedLsn(), p.getInFlight(), p.getOldestInFlightMillis(), p.isSetRole() ? p.getRole() : null,
                    p.isSetCaughtUp() ? p.isCaughtUp() : null));
        }
        return new NodeReport.Stats(s.getNodeId(), s.getAddress(), s.getRingEpoch(), s.isServing(), s.getDiskBytes(),
                s.getUptimeMillis(), s.getDurability(), partitions,
                s.isSetRequestsTotal() ? s.getRequestsTotal() : null,
                s.isSetRequestP99Micros() ? s.getRequestP99Micros() : null);
    }
}
