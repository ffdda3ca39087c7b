package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.cli.output.Table;
import io.chainring.client.AdminClient;
import io.chainring.client.ClusterHealth;
import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.ReplicationStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the cluster: ring epoch, controller, and every node with its partitions, heads and tails.",
                "Exit 3 unless the cluster is healthy, by the rule the admin UI uses too: 'unavailable' when a partition has "
                        + "no live chain member, 'degraded' when a node (not REMOVED) is down, a chain has a member down, or a chain "
                        + "is shorter than R (or than the number of ACTIVE nodes)."})
public final class StatusCommand extends AdminCommand {
    @Override
    public Integer call() {
        try (AdminClient admin = admin()) {
            ClusterStatus all = admin.status();
            // a REMOVED node is gone from the cluster: not listed here, not judged (ClusterHealth); `nodes` still lists it
            ClusterStatus s = new ClusterStatus(all.cluster(), all.epoch(), all.partitionCount(), all.replication(), all.controller(),
                    all.nodes().stream().filter(n -> !"REMOVED".equals(n.state())).toList());
            ClusterHealth health = ClusterHealth.of(s, admin.ring());
            Map<String, ReplicationStatus> replication = new LinkedHashMap<>();
            for (ReplicationStatus r : admin.replication()) {
                replication.put(r.nodeId(), r);
            }
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("cluster", s.cluster());
                o.put("epoch", s.epoch());
                o.put("partitionCount", s.partitionCount());
                o.put("replication", s.replication());
                o.put("controller", s.controller());
                o.put("nodes", s.nodes().stream().map(n -> {
                    Map<String, Object> node = nodeJson(n);
                    node.put("replication", replicationJson(replication.get(n.id())));
                    return node;
                }).toList());
                o.put("replicationLag", headLag(replication.values()));
                o.put("healthy", health.healthy());
                o.put("health", health.verdict().label());
                o.put("problems", health.problems());
                out().println(Json.write(o));
            } else {
                long down = s.nodes().stream().filter(n -> !n.live()).count();
                out().printf("cluster %s  epoch %d  partitions %d  replication %d  controller %s  nodes %d (%d down)  health %s%n",
                        s.cluster(), s.epoch(), s.partitionCount(), s.replication(), s.controller(), s.nodes().size(), down,
                        health.verdict().label());
                out().println();
                Table t = new Table("NODE", "ADDRESS", "ZONE", "STATE", "LIVE", "PARTITIONS", "HEADS", "TAILS",
                        "IN-FLIGHT", "LAG (LSNs)", "OLDEST (ms)", "LEARNING");
                for (NodeStatus n : s.nodes()) {
                    ReplicationStatus r = replication.get(n.id());
                    boolean known = r != null && r.reachable();
                    t.row(n.id(), n.address(), n.zone(), n.state(), n.live() ? "up" : "DOWN", n.partitions(), n.heads(), n.tails(),
                            known ? r.inFlight() : "-", known ? r.maxLagLsns() : "-", known ? r.oldestInFlightMillis() : "-",
                            known ? r.learning() : "-");
                }
                t.print(out());
                printLag(headLag(replication.values()));
            }
            out().flush();
            if (!health.healthy()) {
                spec.commandLine().getErr().println("chainring status: cluster unhealthy (" + health.verdict().label() + "): "
                        + String.join("; ", health.problems()));
                spec.commandLine().getErr().flush();
                return ExitCodes.UNAVAILABLE;
            }
            return ExitCodes.OK;
        }
    }

    /** A node's replication summary; null fields when it did not answer. */
    private static Map<String, Object> replicationJson(ReplicationStatus r) {
        Map<String, Object> o = new LinkedHashMap<>();
        boolean known = r != null && r.reachable();
        o.put("reachable", known);
        o.put("inFlight", known ? r.inFlight() : null);
        o.put("maxLagLsns", known ? r.maxLagLsns() : null);
        o.put("oldestInFlightMillis", known ? r.oldestInFlightMillis() : null);
        o.put("learning", known ? r.learning() : null);
        return o;
    }

    /** The partitions whose tail is behind their head, worst first (at most 10), or one line saying none is. */
    private void printLag(List<Map<String, Object>> lag) {
        List<Map<String, Object>> behind = lag.stream().filter(m -> (Long) m.get("lagLsns") > 0)
                .sorted(Comparator.comparingLong((Map<String, Object> m) -> (Long) m.get("lagLsns")).reversed()).toList();
        out().println();
        if (behind.isEmpty()) {
            out().println("replication lag: none (every tail holds what its head wrote)");
            return;
        }
        out().printf("replication lag: %d partitions behind their head%s%n", behind.size(), behind.size() > 10 ? " (worst 10)" : "");
        Table t = new Table("PARTITION", "HEAD", "LAG (LSNs)", "LAG (ms)", "SLOWEST", "BEHIND (LSNs)");
        for (Map<String, Object> m : behind.subList(0, Math.min(10, behind.size()))) {
            t.row(m.get("partition"), m.get("head"), m.get("lagLsns"), m.get("oldestInFlightMillis"),
                    m.getOrDefault("slowest", "-"), m.getOrDefault("slowestBehindLsns", "-"));
        }
        t.print(out());
    }

    /**
     * Per partition, as its head sees it: last LSN, the tail's committed LSN, the lag in LSNs and
     * in ms (age of the oldest write not yet committed), writes in flight, and the member furthest
     * behind the head with how many LSNs it has not applied yet.
     */
    private static List<Map<String, Object>> headLag(Collection<ReplicationStatus> nodes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (ReplicationStatus r : nodes) {
            for (ReplicationStatus.Partition p : r.partitions()) {
                if (!"HEAD".equals(p.role())) {
                    continue;
                }
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("partition", p.partition());
                o.put("head", r.nodeId());
                o.put("lastLsn", p.lastLsn());
                o.put("committedLsn", p.committedLsn());
                o.put("lagLsns", p.lagLsns());
                o.put("inFlight", p.inFlight());
                o.put("oldestInFlightMillis", p.oldestInFlightMillis());
                slowest(nodes, r.nodeId(), p).ifPresent(m -> {
                    o.put("slowest", m.getKey());
                    o.put("slowestBehindLsns", m.getValue());
                });
                out.add(o);
            }
        }
        out.sort(Comparator.comparingInt(m -> (Integer) m.get("partition")));
        return out;
    }

    /** The chain member (not the head) that has applied the least of what the head wrote, and by how much. */
    private static Optional<Map.Entry<String, Long>> slowest(Collection<ReplicationStatus> nodes, String head,
                                                            ReplicationStatus.Partition atHead) {
        Map.Entry<String, Long> worst = null;
        for (ReplicationStatus r : nodes) {
            if (r.nodeId().equals(head) || !r.reachable()) {
                continue;
            }
            for (ReplicationStatus.Partition p : r.partitions()) {
                if (p.partition() == atHead.partition() && ("MIDDLE".equals(p.role()) || "TAIL".equals(p.role()))) {
                    long behind = Math.max(0, atHead.lastLsn() - p.appliedLsn());
                    if (worst == null || behind > worst.getValue()) {
                        worst = Map.entry(r.nodeId(), behind);
                    }
                }
            }
        }
        return Optional.ofNullable(worst);
    }
}
