package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.cli.output.Table;
import io.chainring.client.AdminClient;
import io.chainring.client.ClusterStatus;
import io.chainring.client.NodeStatus;
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
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("cluster", s.cluster());
                o.put("epoch", s.epoch());
                o.put("partitions", s.partitionCount());
                o.put("replication", s.replication());
                o.put("controller", s.controller());
                o.put("nodes", s.nodes().stream().map(AdminCommand::nodeJson).toList());
                o.put("healthy", health.healthy());
                o.put("problems", health.problems());
                out().println(Json.write(o));
            } else {
                long down = s.nodes().stream().filter(n -> !n.live()).count();
                out().printf("cluster %s  epoch %d  partitions %d  replication %d  controller %s  nodes %d (%d down)%n",
                        s.cluster(), s.epoch(), s.partitionCount(), s.replication(), s.controller(), s.nodes().size(), down);
                out().println();
                Table t = new Table("NODE", "ADDRESS", "ZONE", "STATE", "LIVE", "PARTITIONS", "HEADS", "TAILS");
                for (NodeStatus n : s.nodes()) {
                    t.row(n.id(), n.address(), n.zone(), n.state(), n.live() ? "up" : "DOWN", n.partitions(), n.heads(), n.tails());
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
}
