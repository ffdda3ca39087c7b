package io.chainring.adminui.cluster;

import io.chainring.client.RingSnapshot;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Time series the UI measures from the nodes' stats: writes per second (from the growth of each
 * partition's LSN, which every put, delete and CAS advances by one), per head node and in total;
 * requests (ops) per second per node (from the growth of its request counter, reads included)
 * and each node's recent p99 latency, where nodes report them; the replication lag of the
 * partitions each node heads (the worst one's LSNs not yet committed at the tail, and the age of its
 * oldest uncommitted write); and how long each node took to answer the stats call. Keeps the last {@code capacity} points. Thread-safe.
 */
public final class WriteRates {
    /**
     * One sample.
     *
     * @param atMillis       when the poll finished
     * @param writesPerSec   cluster total
     * @param byHead         writes/s of the partitions each node heads
     * @param statsRttMillis per node, how long its stats call took
     * @param opsPerSec      client requests per second over the nodes that report them (null when none does)
     * @param opsByNode      per node that reports its request count (and did in the previous poll), requests/s
     * @param p99MillisByNode per node that reports it, its recent p99 request latency in milliseconds
     * @param lagLsnsByHead  per answering node, over the partitions it heads, the most LSNs written and not yet committed
     * @param lagMillisByHead per answering node, over the partitions it heads, the age of the oldest uncommitted write (ms)
     */
    public record Point(long atMillis, double writesPerSec, Map<String, Double> byHead, Map<String, Double> statsRttMillis,
                        Double opsPerSec, Map<String, Double> opsByNode, Map<String, Double> p99MillisByNode,
                        Map<String, Double> lagLsnsByHead, Map<String, Double> lagMillisByHead) {
        public Point {
            lagLsnsByHead = Map.copyOf(lagLsnsByHead);
            lagMillisByHead = Map.copyOf(lagMillisByHead);
            byHead = Map.copyOf(byHead);
            statsRttMillis = Map.copyOf(statsRttMillis);
            opsByNode = Map.copyOf(opsByNode);
            p99MillisByNode = Map.copyOf(p99MillisByNode);
        }

        /** Without lag. */
        public Point(long atMillis, double writesPerSec, Map<String, Double> byHead, Map<String, Double> statsRttMillis,
                     Double opsPerSec, Map<String, Double> opsByNode, Map<String, Double> p99MillisByNode) {
            this(atMillis, writesPerSec, byHead, statsRttMillis, opsPerSec, opsByNode, p99MillisByNode, Map.of(), Map.of());
        }

        /** Writes only. */
        public Point(long atMillis, double writesPerSec, Map<String, Double> byHead, Map<String, Double> statsRttMillis) {
            this(atMillis, writesPerSec, byHead, statsRttMillis, null, Map.of(), Map.of());
        }
    }

    private final int capacity;
    private final Deque<Point> points = new ArrayDeque<>();
    /** Per partition, the last LSN seen and when: a partition missed in a poll keeps its own baseline. */
    private final Map<Integer, Sample> last = new HashMap<>();
    /** Per node, its request counter at the last poll that got it. */
    private final Map<String, Sample> lastRequests = new HashMap<>();
    private long lastAt = -1;

    /** A counter's value (an LSN or a request count) and when it was read. */
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
            Map<String, Double> ops = opsByNode(s, at);
            points.addLast(new Point(at, total, byHead, rtt,
                    ops.isEmpty() ? null : ops.values().stream().mapToDouble(Double::doubleValue).sum(), ops,
                    p99Millis(s), headLag(s, false), headLag(s, true)));
            while (points.size() > capacity) {
                points.removeFirst();
            }
        }
        lsn.forEach((p, l) -> last.put(p, new Sample(l, at)));
        s.reports().forEach((id, r) -> {
            if (r.ok() && r.stats().requestsTotal() != null) {
                lastRequests.put(id, new Sample(r.stats().requestsTotal(), at));
            }
        });
        lastAt = at;
    }

    /** Requests/s per node since its previous sample; a counter that went down (a restart) gives no rate this once. */
    private Map<String, Double> opsByNode(ClusterSnapshot s, long at) {
        Map<String, Double> out = new TreeMap<>();
        s.reports().forEach((id, r) -> {
            Long now = r.ok() ? r.stats().requestsTotal() : null;
            Sample then = lastRequests.get(id);
            if (now != null && then != null && at > then.atMillis() && now >= then.lsn()) {
                out.put(id, (now - then.lsn()) * 1000.0 / (at - then.atMillis()));
            }
        });
        return out;
    }

    private static Map<String, Double> p99Millis(ClusterSnapshot s) {
        Map<String, Double> out = new TreeMap<>();
        s.reports().forEach((id, r) -> {
            if (r.ok() && r.stats().requestP99Micros() != null) {
                out.put(id, r.stats().requestP99Micros() / 1000.0);
            }
        });
        return out;
    }

    /** Per answering node, the worst replication lag over the partitions it heads: LSNs, or ms when {@code millis}. */
    private static Map<String, Double> headLag(ClusterSnapshot s, boolean millis) {
        Map<String, Double> out = new TreeMap<>();
        s.reports().forEach((id, r) -> {
            if (r.ok()) {
                double worst = 0;
                for (NodeReport.PartitionStat p : r.stats().partitions()) {
                    if (p.position() == 0) {
                        worst = Math.max(worst, millis ? (p.inFlight() > 0 ? p.oldestInFlightMillis() : 0)
                                : Math.max(0, p.lastLsn() - p.committedLsn()));
                    }
                }
                out.put(id, worst);
            }
        });
        return out;
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }

    /** The newest point, if any. */
    public synchronized Point latest() {
        return points.peekLast();
    }
}
