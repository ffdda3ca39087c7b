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

/** {@code chainring nodes}: the datanodes as the controller reports them. */
@Command(name = "nodes", mixinStandardHelpOptions = true,
        description = "List the datanodes: id, address, zone, state, whether live, and their partitions, heads and tails.")
public final class NodesCommand extends AdminCommand {
    @Override
    public Integer call() {
        try (AdminClient admin = admin()) {
            ClusterStatus s = admin.status();
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("nodes", s.nodes().stream().map(AdminCommand::nodeJson).toList());
                out().println(Json.write(o));
            } else {
                Table t = new Table("NODE", "ADDRESS", "ZONE", "STATE", "LIVE", "PARTITIONS", "HEADS", "TAILS");
                for (NodeStatus n : s.nodes()) {
                    t.row(n.id(), n.address(), n.zone(), n.state(), n.live() ? "up" : "DOWN", n.partitions(), n.heads(), n.tails());
                }
                t.print(out());
            }
            out().flush();
            return ExitCodes.OK;
        }
    }
}
