package io.chainring.adminui.cluster;

import io.chainring.client.RingSnapshot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Time series the UI can measure from outside the nodes: writes per second (from the growth of
 * each partition's LSN, which every put, delete and CAS advances by one), per head node and in
 * total, and how long each node took to answer the stats call. Keeps the last {@code capacity}
 * points. Reads and per-request latency are not visible here (nodes do not report them over
 * Thrift); those are on each process's {@code /metrics}. Thread-safe.
 */
public final class WriteRates {
    /**
     * One sample.
     *
     * @param atMillis       when the poll finished
     * @param writesPerSec   cluster total
     * @param byHead         writes/s of the partitions each node heads
     * @param statsRttMillis per node, how long its stats call took
     */
    public record Point(long atMillis, double writesPerSec, Map<String, Double> byHead, Map<String, Double> statsRttMillis) {
        public Point {
            byHead = Map.copyOf(byHead);
            statsRttMillis = Map.copyOf(statsRttMillis);
        }
    }

    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();
    /** Per partition, the last LSN seen and when: a partition missed in a poll keeps its own baseline. */
    private final Map<Integer, Sample> last = new HashMap<>();
    private long lastAt = -1;

    private record Sample(long lsn, long atMillis) {
    }

    public WriteRates(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("need room for at least two points: " + capacity);
        }
        this.capacity = capacity;
    }

    /** Adds a point from a good poll (the first poll only sets the baseline). */
    public synchronized void observe(ClusterSnapshot s) {
        if (!s.hasData() || s.error() != null) {
            return;
        }
        Map<Integer, Long> lsn = new HashMap<>();
        for (NodeReport r : s.reports().values()) {
            if (r.ok()) {
                for (NodeReport.PartitionStat p : r.stats().partitions()) {
                    lsn.merge(p.partition(), p.lastLsn(), Math::max);
                }
            }
        }
        long at = s.at().toEpochMilli();
        Map<String, Double> rtt = new TreeMap<>();
        s.reports().forEach((id, r) -> rtt.put(id, r.rtt().toNanos() / 1e6));
        if (lastAt >= 0 && at > lastAt) {
            Map<String, Double> byHead = new TreeMap<>();
            for (RingSnapshot.Node n : s.ring().nodes()) {
                byHead.put(n.id(), 0.0);
            }
            double total = 0;
            for (RingSnapshot.PartitionChain p : s.ring().partitions()) {
                Long now = lsn.get(p.id());
                Sample then = last.get(p.id());
                if (now == null || then == null || p.head().isEmpty() || at <= then.atMillis()) {
                    continue; // no answer from any holder now or before: no rate for it
                }
                double rate = Math.max(0, now - then.lsn()) * 1000.0 / (at - then.atMillis());
                total += rate;
                byHead.merge(p.head().get(), rate, Double::sum);
            }
            points.addLast(new Point(at, total, byHead, rtt));
            while (points.size() > capacity) {
                points.removeFirst();
            }
        }
        lsn.forEach((p, l) -> last.put(p, new Sample(l, at)));
        lastAt = at;
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** The newest point, if any. */
    public synchronized Point latest() {
        return points.peekLast();
    }
}
