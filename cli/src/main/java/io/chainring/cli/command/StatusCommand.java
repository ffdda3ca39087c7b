package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.cli.output.Table;
import io.chainring.client.AdminClient;
import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
import io.chainring.client.ReplicationStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "status", mixinStandardHelpOptions = true,
        description = {"Show the cluster: ring epoch, controller, and every node with its partitions, heads and tails.",
                "Exit 3 when the cluster is unhealthy: a node that holds partitions is down, or partitions have fewer replicas "
                        + "than they should."})
public final class StatusCommand extends AdminCommand {
    @Override
    public Integer call() {
        try (AdminClient admin = admin()) {
            ClusterStatus s = admin.status();
            ClusterHealth health = ClusterHealth.of(s, admin.ring());
            Map<String, ReplicationStatus> replication = new LinkedHashMap<>();
            for (ReplicationStatus r : admin.replication()) {
                replication.put(r.nodeId(), r);
            }
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("cluster", s.cluster());
                o.put("epoch", s.epoch());
                o.put("partitions", s.partitionCount());
                o.put("replication", s.replication());
                o.put("controller", s.controller());
                o.put("nodes", s.nodes().stream().map(n -> {
                    Map<String, Object> node = nodeJson(n);
                    node.put("replication", replicationJson(replication.get(n.id())));
                    return node;
                }).toList());
                o.put("replicationLag", headLag(replication.values()));
                o.put("healthy", health.healthy());
                o.put("problems", health.problems());
                out().println(Json.write(o));
            } else {
                long down = s.nodes().stream().filter(n -> !n.live()).count();
                out().printf("cluster %s  epoch %d  partitions %d  replication %d  controller %s  nodes %d (%d down)%n",
                        s.cluster(), s.epoch(), s.partitionCount(), s.replication(), s.controller(), s.nodes().size(), down);
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
            }
            out().flush();
            if (!health.healthy()) {
                spec.commandLine().getErr().println("chainring status: cluster unhealthy: " + String.join("; ", health.problems()));
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

    /** Per partition, as its head sees it: last LSN, the tail's committed LSN, writes in flight and their age. */
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
                out.add(o);
            }
        }
        out.sort(Comparator.comparingInt(m -> (Integer) m.get("partition")));
        return out;
    }
}
