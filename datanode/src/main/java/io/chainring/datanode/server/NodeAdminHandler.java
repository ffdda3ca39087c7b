package io.chainring.datanode.server;

import io.chainring.datanode.replication.ReplicaStatus;
import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.replication.Role;
import io.chainring.datanode.storage.KeyedRecord;
import io.chainring.datanode.storage.PartitionStore;
import io.chainring.datanode.storage.RecordPage;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.datanode.storage.StorageException;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.ClusterInfo;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.PartitionStats;
import io.chainring.thrift.ReplicatedWrite;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.Unavailable;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code node-admin} service: stats (per partition its role, LSNs, in-flight writes and, for
 * learners, whether they caught up — the controller promotes on that), where the cluster is
 * managed from, and partition snapshots.
 */
public final class NodeAdminHandler implements NodeAdminService.Iface {
    private static final Logger LOG = LoggerFactory.getLogger(NodeAdminHandler.class);

    private final NodeId self;
    private final String cluster;
    private final Supplier<String> address;
    private final RingView view;
    private final StorageEngine storage;
    private final RequestChecks checks;
    private final Router router;
    private final Replication replication;
    private final Supplier<Optional<String>> controllerAddress;
    private final Clock clock;
    private final ClientLoad load;
    private final Instant started;

    /** Client requests answered by the node, for stats. */
    public interface ClientLoad {
        ClientLoad NONE = new ClientLoad() {
            @Override
            public long requestsTotal() {
                return 0;
            }

            @Override
            public long requestP99Micros() {
                return 0;
            }
        };

        long requestsTotal();

        /** p99 of client request latency over roughly the last 10 s. */
        long requestP99Micros();
    }

    /**
     * @param address           this node's {@code host:port} as clients reach it
     * @param controllerAddress looks up the controller leader's admin address (may fail; then it is left out)
     */
    public NodeAdminHandler(NodeId self, String cluster, Supplier<String> address, RingView view, StorageEngine storage,
                            RequestLimits limits, Replication replication, Supplier<Optional<String>> controllerAddress,
                            Clock clock) {
        this(self, cluster, address, view, storage, limits, replication, controllerAddress, clock, ClientLoad.NONE);
    }

    public NodeAdminHandler(NodeId self, String cluster, Supplier<String> address, RingView view, StorageEngine storage,
                            RequestLimits limits, Replication replication, Supplier<Optional<String>> controllerAddress,
                            Clock clock, ClientLoad load) {
        this.load = Objects.requireNonNull(load, "load");
        this.self = Objects.requireNonNull(self, "self");
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        this.address = Objects.requireNonNull(address, "address");
        this.view = Objects.requireNonNull(view, "view");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.checks = new RequestChecks(limits);
        this.router = new Router(self, view, storage::isHealthy);
        this.replication = Objects.requireNonNull(replication, "replication");
        this.controllerAddress = Objects.requireNonNull(controllerAddress, "controllerAddress");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.started = clock.instant();
    }

    @Override
    public NodeStats stats() throws TException {
        return CallGuard.run("stats", () -> {
            Optional<Ring> ring = view.current();
            Map<Integer, ReplicaStatus> replicas = new HashMap<>();
            for (ReplicaStatus r : replication.status()) {
                replicas.put(r.partition(), r);
            }
            List<PartitionStats> partitions = new ArrayList<>();
            for (PartitionStore store : storage.openPartitions().values()) {
                ReplicaStatus r = replicas.get(store.id());
                if (r == null) {
                    // opened but never positioned by a ring (a read of a partition this node no longer holds)
                    int position = ring.filter(x -> store.id() < x.partitionCount())
                            .map(x -> x.partition(store.id()).chain().positionOf(self)).orElse(-1);
                    PartitionStats ps = new PartitionStats(store.id(), position, store.keyCount(), store.lastLsn(),
                            store.committedLsn(), 0, 0);
                    ps.setRole(Role.NONE.name());
                    ps.setAppliedLsn(store.appliedLsn());
                    ps.setDataBytes(store.dataBytes());
                    partitions.add(ps);
                    continue;
                }
                PartitionStats ps = new PartitionStats(r.partition(), r.position(), r.keys(), r.lastLsn(), r.committedLsn(),
                        r.inFlight(), r.oldestInFlightMillis());
                ps.setRole(r.role().name());
                ps.setAppliedLsn(r.appliedLsn());
                if (r.role() == Role.LEARNER) {
                    ps.setCaughtUp(r.caughtUp());
                }
                ps.setDataBytes(r.dataBytes());
                if (r.catchUpStartedMillis() > 0) {
                    ps.setCatchUpKeys(r.catchUpKeys());
                    ps.setCatchUpBytes(r.catchUpBytes());
                    ps.setCatchUpStartedMillis(r.catchUpStartedMillis());
                }
                partitions.add(ps);
            }
            long diskBytes;
            try {
                diskBytes = storage.stats().diskBytes();
            } catch (StorageException e) {
                LOG.warn("stats: cannot read storage stats: {}", e.getMessage());
                diskBytes = -1;
            }
            boolean serving = view.serving() && storage.isHealthy();
            long uptime = clock.millis() - started.toEpochMilli();
            NodeStats stats = new NodeStats(self.value(), address.get(), ring.map(Ring::epoch).orElse(0L), serving, partitions,
                    diskBytes, uptime, storage.durability().configName());
            stats.setThrottleBytesPerSecond(replication.throttleBytesPerSecond());
            stats.setCatchUpBytesTotal(replication.catchUpBytesTotal());
            stats.setRequestsTotal(load.requestsTotal());
            stats.setRequestP99Micros(load.requestP99Micros());
            view.writeRefusal(self).ifPresent(stats::setWriteRefusal);
            return stats;
        });
    }

    @Override
    public ClusterInfo clusterInfo() throws TException {
        return CallGuard.run("clusterInfo", () -> {
            Ring ring = router.servingRing();
            ClusterInfo info = new ClusterInfo(cluster, RingCodec.toThrift(ring));
            try {
                controllerAddress.get().ifPresent(info::setControllerAddress);
            } catch (RuntimeException e) {
                LOG.debug("clusterInfo: controller address unknown: {}", e.toString());
            }
            return info;
        });
    }

    /** A chunk of the partition in key order, tombstones included, at most about {@code maxBytes}. */
    @Override
    public SnapshotChunk snapshot(long ringEpoch, int partition, ByteBuffer startAfter, int maxBytes) throws TException {
        return CallGuard.run("snapshot", () -> {
            byte[] cursor = checks.cursor(startAfter);
            if (maxBytes < 1) {
                throw Errors.invalid("snapshot maxBytes must be positive: " + maxBytes);
            }
            Ring ring = router.ringFor(ringEpoch);
            Partition p;
            try {
                p = router.route(ring, ringEpoch, partition, Access.READ);
            } catch (Unavailable e) {
                throw Errors.notServing(e.getMessage());
            }
            long budget = Math.min(maxBytes, checks.limits().maxResponseBytes());
            RecordPage page = storage.partition(p.id()).snapshot(cursor, budget);
            List<ReplicatedWrite> records = new ArrayList<>(page.records().size());
            for (KeyedRecord r : page.records()) {
                ReplicatedWrite w = new ReplicatedWrite(p.id(), r.record().version(), ByteBuffer.wrap(r.key()));
                if (r.record().isLive()) {
                    w.setValue(ByteBuffer.wrap(r.record().value()));
                }
                records.add(w);
            }
            return new SnapshotChunk(records, page.done(), page.appliedLsn());
        });
    }
}
