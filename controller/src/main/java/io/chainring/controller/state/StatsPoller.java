package io.chainring.controller.state;

import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.PartitionStats;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks datanodes for {@code node-admin stats()} over Thrift, in parallel, with short connect and
 * read timeouts, and turns the answers into {@link ReplicaReport}s. A node that does not answer
 * in time has no report (so it is neither promoted nor preferred); the leader asks again on its
 * next pass. One fresh connection per call: the leader asks only while repair needs it.
 */
public final class StatsPoller implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StatsPoller.class);
    public static final String NODE_ADMIN = "node-admin";
    public static final String LEARNER = "LEARNER";
    private static final int MAX_FRAME = 16 << 20;
    private static final int THREADS = 4;

    private final Duration timeout;
    private final ExecutorService pool;

    public StatsPoller(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(THREADS, r -> {
            Thread t = new Thread(r, "controller-stats-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Reports of the nodes that answered within the timeout (connect + read, plus queueing). */
    public SortedMap<NodeId, ReplicaReport> poll(Map<NodeId, HostPort> nodes) {
        Map<NodeId, Future<ReplicaReport>> calls = new TreeMap<>();
        nodes.forEach((id, address) -> calls.put(id, pool.submit(() -> ask(address))));
        // queued calls wait for a thread, so the budget grows with the rounds the pool needs
        int rounds = (nodes.size() + THREADS - 1) / THREADS;
        long deadline = System.nanoTime() + timeout.toNanos() * 2 * Math.max(1, rounds) + TimeUnit.MILLISECONDS.toNanos(100);
        SortedMap<NodeId, ReplicaReport> reports = new TreeMap<>();
        for (Map.Entry<NodeId, Future<ReplicaReport>> call : calls.entrySet()) {
            try {
                long left = Math.max(0, deadline - System.nanoTime());
                reports.put(call.getKey(), call.getValue().get(left, TimeUnit.NANOSECONDS));
            } catch (ExecutionException e) {
                log.debug("no stats from {} at {}: {}", call.getKey(), nodes.get(call.getKey()), e.getCause().toString());
            } catch (TimeoutException e) {
                call.getValue().cancel(true);
                log.debug("no stats from {} at {} within the timeout", call.getKey(), nodes.get(call.getKey()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                calls.values().forEach(f -> f.cancel(true));
                break;
            }
        }
        return reports;
    }

    private ReplicaReport ask(HostPort address) throws TException {
        int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        TSocket socket = new TSocket(new TConfiguration(), address.host(), address.port(), ms, ms);
        TFramedTransport transport = new TFramedTransport(socket, MAX_FRAME);
        try {
            transport.open();
            NodeAdminService.Client client = new NodeAdminService.Client(
                    new TMultiplexedProtocol(new TBinaryProtocol(transport), NODE_ADMIN));
            return toReport(client.stats());
        } finally {
            transport.close();
        }
    }

    /**
     * Every listed partition is stored; a partition counts as caught up when the node says so
     * and does not name another role than learner.
     */
    public static ReplicaReport toReport(NodeStats stats) {
        TreeSet<Integer> stored = new TreeSet<>();
        TreeSet<Integer> caughtUp = new TreeSet<>();
        java.util.TreeMap<Integer, ReplicaReport.PartitionFigures> figures = new java.util.TreeMap<>();
        for (PartitionStats p : stats.getPartitions()) {
            stored.add(p.getPartition());
            figures.put(p.getPartition(), new ReplicaReport.PartitionFigures(p.getKeys(),
                    p.isSetDataBytes() ? p.getDataBytes() : 0, p.isSetCatchUpKeys() ? p.getCatchUpKeys() : 0,
                    p.isSetCatchUpBytes() ? p.getCatchUpBytes() : 0,
                    p.isSetCatchUpStartedMillis() ? p.getCatchUpStartedMillis() : 0));
            boolean learner = !p.isSetRole() || LEARNER.equals(p.getRole());
            if (learner && p.isSetCaughtUp() && p.isCaughtUp()) {
                caughtUp.add(p.getPartition());
            }
        }
        return new ReplicaReport(Math.max(0, stats.getRingEpoch()), stored, caughtUp, figures);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
