package io.chainring.adminui.web;

import io.chainring.adminui.cluster.ClusterSnapshot;
import io.chainring.adminui.cluster.NodeReport;
import io.chainring.adminui.cluster.WriteRates;
import io.chainring.client.ClusterHealth;
import io.chainring.client.ClusterHealth.PartitionHealth;
import io.chainring.client.NodeStatus;
import io.chainring.client.RingSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The JSON the pages (and scripts) read, built from a {@link ClusterSnapshot}. Plain records;
 * absent numbers are null rather than made up.
 */
public final class Views {
    private Views() {
    }

    /** Cluster health at a glance ({@code GET /api/overview}). */
    public record Overview(String cluster, Long epoch, Integer partitionCount, Integer replication, String controller,
                           String health, List<String> problems, int nodesTotal, int nodesUp, int nodesDown,
                           List<String> downNodes, int partitionsOk, int partitionsUnderReplicated,
                           int partitionsDegraded, int partitionsUnavailable, List<Integer> unavailablePartitions,
                           Double writesPerSecond, Double opsPerSecond, long updatedMillis, Long lastSuccessMillis,
                           String error) {
    }

    /**
     * One row of the nodes table ({@code GET /api/nodes}).
     *
     * @param opsPerSecond client requests/s the node answered since the previous poll (null when unknown)
     * @param p99Millis    the node's recent p99 request latency (null when it does not report it)
     */
    public record Node(String id, String address, String zone, String state, boolean live, int partitions, int heads,
                       int tails, Boolean serving, Long ringEpoch, Long diskBytes, Long keys, Long uptimeMillis,
                       String durability, Double writesPerSecond, Double opsPerSecond, Double p99Millis,
                       Double statsRttMillis, Long lastHeardMillis, String statsError, List<PartitionStat> partitionStats) {
    }

    /** One partition replica on a node. */
    public record PartitionStat(int partition, String role, int position, long keys, long lastLsn, long committedLsn,
                                int inFlight, long oldestInFlightMillis) {
    }

    /** The nodes table. */
    public record Nodes(String cluster, Long epoch, List<Node> nodes, long updatedMillis, String error) {
    }

    /** The ring ({@code GET /api/ring}). */
    public record Ring(String cluster, Long epoch, Integer partitionCount, Integer replication, List<RingNode> nodes,
                       List<RingPartition> partitions, long updatedMillis, String error) {
    }

    /** A node as the ring page shows it; nodes without partitions (NEW) are listed too. */
    public record RingNode(String id, String address, String zone, String state, boolean live, int heads, int replicas) {
    }

    /**
     * One partition: chain, health and, where the members answered, keys and replication lag.
     *
     * @param oldestInFlightMillis at the head: age of the oldest write not yet committed (lag in time)
     */
    public record RingPartition(int id, List<String> chain, long changedAt, String health, Long keys, Long lastLsn,
                                Long oldestInFlightMillis, List<Replica> replicas, List<Replica> learners) {
    }

    /**
     * One chain member.
     *
     * @param lagLsns how many LSNs it is behind the head (null when either did not answer)
     */
    public record Replica(String node, String role, boolean live, Long lastLsn, Long committedLsn, Long lagLsns) {
    }

    /** Chart data ({@code GET /api/series}): parallel arrays, null where a node had no value. */
    public record Series(List<Long> t, List<Double> writesPerSecond, Map<String, List<Double>> writesByHead,
                         Map<String, List<Double>> statsRttMillis, List<Double> opsPerSecond,
                         Map<String, List<Double>> opsByNode, Map<String, List<Double>> p99MillisByNode,
                         Map<String, List<Double>> lagLsnsByHead, Map<String, List<Double>> lagMillisByHead) {
    }

    public static Overview overview(ClusterSnapshot s, WriteRates rates) {
        long updated = s.at().toEpochMilli();
        Long lastOk = s.lastSuccess() == null ? null : s.lastSuccess().toEpochMilli();
        if (!s.hasData()) {
            return new Overview(null, null, null, null, null, "unknown", List.of(s.error()), 0, 0, 0, List.of(), 0, 0, 0, 0,
                    List.of(), null, null, updated, lastOk, s.error());
        }
        // the one health rule (ClusterHealth), so that this page and `chainring status` agree
        ClusterHealth health = ClusterHealth.of(s.status(), s.ring());
        List<String> down = health.down();
        int up = (int) s.status().nodes().stream().filter(n -> n.live() && !"REMOVED".equals(n.state())).count();
        int want = ClusterHealth.wantedChainLength(s.status(), s.ring().replication());
        List<Integer> unavailable = new ArrayList<>();
        for (RingSnapshot.PartitionChain p : s.ring().partitions()) {
            if (unavailable.size() < 64 && ClusterHealth.partition(p, want, s::isLive) == PartitionHealth.UNAVAILABLE) {
                unavailable.add(p.id());
            }
        }
        Map<PartitionHealth, Integer> counts = health.partitions();
        int nUnavailable = counts.get(PartitionHealth.UNAVAILABLE);
        int nDegraded = counts.get(PartitionHealth.DEGRADED);
        int nUnder = counts.get(PartitionHealth.UNDER_REPLICATED);
        List<String> problems = new ArrayList<>();
        if (s.error() != null) {
            problems.add(s.error());
        }
        problems.addAll(health.problems());
        String verdict = s.error() != null && health.healthy() ? "degraded" : health.verdict().label();
        WriteRates.Point latest = rates.latest();
        return new Overview(s.status().cluster(), s.ring().epoch(), s.ring().partitionCount(), s.ring().replication(),
                s.status().controller(), verdict, problems, up + down.size(), up, down.size(), down,
                counts.getOrDefault(PartitionHealth.OK, 0), nUnder, nDegraded, nUnavailable, unavailable,
                latest == null ? null : latest.writesPerSec(), latest == null ? null : latest.opsPerSec(), updated, lastOk,
                s.error());
    }

    public static Nodes nodes(ClusterSnapshot s, WriteRates rates) {
        long updated = s.at().toEpochMilli();
        if (!s.hasData()) {
            return new Nodes(null, null, List.of(), updated, s.error());
        }
        WriteRates.Point latest = rates.latest();
        List<Node> out = new ArrayList<>();
        for (NodeStatus n : s.status().nodes()) {
            if ("REMOVED".equals(n.state())) {
                continue; // gone from the cluster: not listed, as `chainring status` does not list it (ClusterHealth ignores it)
            }
            Optional<NodeReport> r = s.report(n.id());
            NodeReport.Stats st = r.filter(NodeReport::ok).map(NodeReport::stats).orElse(null);
            List<PartitionStat> parts = new ArrayList<>();
            if (st != null) {
                for (NodeReport.PartitionStat p : st.partitions()) {
                    int length = chainLength(s, p.partition());
                    String role = p.role() == null ? role(p.position(), length)
                            // a node heading a one-node chain says HEAD; it is the tail too
                            : p.role().equals("HEAD") && length == 1 ? "head+tail" : p.role().toLowerCase(java.util.Locale.ROOT);
                    parts.add(new PartitionStat(p.partition(), p.isLearner() && p.caughtUp() != null
                            ? role + (p.caughtUp() ? " (caught up)" : " (catching up)") : role,
                            p.position(), p.keys(), p.lastLsn(), p.committedLsn(), p.inFlight(), p.oldestInFlightMillis()));
                }
            }
            out.add(new Node(n.id(), n.address(), n.zone(), n.state(), n.live(), n.partitions(), n.heads(), n.tails(),
                    st == null ? null : st.serving(), st == null ? null : st.ringEpoch(),
                    st == null || st.diskBytes() < 0 ? null : st.diskBytes(), st == null ? null : st.keys(),
                    st == null ? null : st.uptimeMillis(), st == null ? null : st.durability(),
                    latest == null ? null : latest.byHead().get(n.id()),
                    latest == null ? null : latest.opsByNode().get(n.id()),
                    st == null || st.requestP99Micros() == null ? null : st.requestP99Micros() / 1000.0,
                    r.map(x -> x.rtt().toNanos() / 1e6).orElse(null),
                    r.filter(NodeReport::ok).map(x -> x.at().toEpochMilli()).orElse(null),
                    r.map(NodeReport::error).orElse(n.live() ? null : "down: not asked for stats"),
                    parts));
        }
        return new Nodes(s.status().cluster(), s.ring().epoch(), out, updated, s.error());
    }

    public static Ring ring(ClusterSnapshot s) {
        long updated = s.at().toEpochMilli();
        if (!s.hasData()) {
            return new Ring(null, null, null, null, List.of(), List.of(), updated, s.error());
        }
        RingSnapshot ring = s.ring();
        // per partition, per node: what that replica reported
        Map<Integer, Map<String, NodeReport.PartitionStat>> reported = new HashMap<>();
        s.reports().forEach((id, r) -> {
            if (r.ok()) {
                r.stats().partitions().forEach(p -> reported.computeIfAbsent(p.partition(), k -> new HashMap<>()).put(id, p));
            }
        });
        Map<String, int[]> counts = new HashMap<>();
        List<RingPartition> partitions = new ArrayList<>();
        for (RingSnapshot.PartitionChain p : ring.partitions()) {
            Map<String, NodeReport.PartitionStat> byNode = reported.getOrDefault(p.id(), Map.of());
            NodeReport.PartitionStat head = p.head().map(byNode::get).orElse(null);
            List<Replica> replicas = new ArrayList<>();
            for (int i = 0; i < p.chain().size(); i++) {
                String node = p.chain().get(i);
                counts.computeIfAbsent(node, k -> new int[2])[1]++;
                if (i == 0) {
                    counts.get(node)[0]++;
                }
                NodeReport.PartitionStat st = byNode.get(node);
                replicas.add(new Replica(node, role(i, p.chain().size()), s.isLive(node),
                        st == null ? null : st.lastLsn(), st == null ? null : st.committedLsn(),
                        st == null || head == null ? null : Math.max(0, head.lastLsn() - st.lastLsn())));
            }
            // learners are not in the client's view of the ring; the nodes say so in their stats
            List<Replica> learners = new ArrayList<>();
            byNode.forEach((node, st) -> {
                if (st.isLearner()) {
                    learners.add(new Replica(node, Boolean.TRUE.equals(st.caughtUp()) ? "learner (caught up)"
                            : "learner (catching up)", s.isLive(node), st.lastLsn(), st.committedLsn(),
                            head == null ? null : Math.max(0, head.lastLsn() - st.lastLsn())));
                }
            });
            learners.sort(java.util.Comparator.comparing(Replica::node));
            partitions.add(new RingPartition(p.id(), p.chain(), p.changedAt(),
                    ClusterHealth.partition(p, ClusterHealth.wantedChainLength(s.status(), ring.replication()), s::isLive).label(),
                    head == null ? null : head.keys(), head == null ? null : head.lastLsn(),
                    head == null ? null : head.oldestInFlightMillis(), replicas, learners));
        }
        // the ring's nodes, then registered nodes it does not name yet (NEW ones)
        Map<String, RingNode> nodes = new LinkedHashMap<>();
        TreeSet<String> ids = new TreeSet<>();
        ring.nodes().forEach(n -> ids.add(n.id()));
        s.status().nodes().forEach(n -> ids.add(n.id()));
        for (String id : ids) {
            Optional<RingSnapshot.Node> rn = ring.node(id);
            Optional<NodeStatus> st = s.node(id);
            int[] c = counts.getOrDefault(id, new int[2]);
            nodes.put(id, new RingNode(id,
                    st.map(NodeStatus::address).orElseGet(() -> rn.map(RingSnapshot.Node::address).orElse("")),
                    st.map(NodeStatus::zone).orElseGet(() -> rn.map(RingSnapshot.Node::zone).orElse("")),
                    st.map(NodeStatus::state).orElseGet(() -> rn.map(RingSnapshot.Node::state).orElse("")),
                    s.isLive(id), c[0], c[1]));
        }
        return new Ring(ring.cluster(), ring.epoch(), ring.partitionCount(), ring.replication(),
                List.copyOf(nodes.values()), partitions, updated, s.error());
    }

    public static Series series(List<WriteRates.Point> points) {
        List<Long> t = new ArrayList<>(points.size());
        List<Double> total = new ArrayList<>(points.size());
        List<Double> ops = new ArrayList<>(points.size());
        TreeSet<String> nodes = new TreeSet<>();
        for (WriteRates.Point p : points) {
            nodes.addAll(p.byHead().keySet());
            nodes.addAll(p.statsRttMillis().keySet());
            nodes.addAll(p.opsByNode().keySet());
            nodes.addAll(p.p99MillisByNode().keySet());
            nodes.addAll(p.lagLsnsByHead().keySet());
        }
        Map<String, List<Double>> byHead = new LinkedHashMap<>();
        Map<String, List<Double>> rtt = new LinkedHashMap<>();
        Map<String, List<Double>> opsByNode = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        Map<String, List<Double>> lagLsns = new LinkedHashMap<>();
        Map<String, List<Double>> lagMillis = new LinkedHashMap<>();
        for (String n : nodes) {
            lagLsns.put(n, new ArrayList<>(points.size()));
            lagMillis.put(n, new ArrayList<>(points.size()));
            byHead.put(n, new ArrayList<>(points.size()));
            rtt.put(n, new ArrayList<>(points.size()));
            opsByNode.put(n, new ArrayList<>(points.size()));
            p99.put(n, new ArrayList<>(points.size()));
        }
        for (WriteRates.Point p : points) {
            t.add(p.atMillis());
            total.add(p.writesPerSec());
            ops.add(p.opsPerSec());
            for (String n : nodes) {
                byHead.get(n).add(p.byHead().get(n));
                rtt.get(n).add(p.statsRttMillis().get(n));
                opsByNode.get(n).add(p.opsByNode().get(n));
                p99.get(n).add(p.p99MillisByNode().get(n));
                lagLsns.get(n).add(p.lagLsnsByHead().get(n));
                lagMillis.get(n).add(p.lagMillisByHead().get(n));
            }
        }
        return new Series(t, total, byHead, rtt, ops, opsByNode, p99, lagLsns, lagMillis);
    }

    private static int chainLength(ClusterSnapshot s, int partition) {
        List<RingSnapshot.PartitionChain> ps = s.ring().partitions(); // in id order
        return partition >= 0 && partition < ps.size() && ps.get(partition).id() == partition
                ? ps.get(partition).chain().size() : 0;
    }

    /** head, middle, tail, or head+tail for a one-node chain; "none" when the ring no longer names it. */
    static String role(int position, int chainLength) {
        if (position < 0 || position >= chainLength) {
            return "none";
        }
        if (chainLength == 1) {
            return "head+tail";
        }
        if (position == 0) {
            return "head";
        }
        return position == chainLength - 1 ? "tail" : "middle";
    }
}
