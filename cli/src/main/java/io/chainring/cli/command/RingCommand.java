package io.chainring.cli.command;

import io.chainring.cli.ExitCodes;
import io.chainring.cli.output.Json;
import io.chainring.cli.output.Table;
import io.chainring.client.AdminClient;
import io.chainring.client.ClusterStatus;
import io.chainring.client.RingSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

@Command(name = "ring", mixinStandardHelpOptions = true,
        description = "Show the ring: every partition's chain (head first) and when it last changed.")
public final class RingCommand extends AdminCommand {
    @Override
    public Integer call() {
        try (AdminClient admin = admin()) {
            RingSnapshot ring = admin.ring();
            ClusterStatus status = admin.status();
            if (global().json()) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("cluster", ring.cluster());
                o.put("epoch", ring.epoch());
                o.put("partitionCount", ring.partitionCount());
                o.put("replication", ring.replication());
                o.put("nodes", status.nodes().stream().map(AdminCommand::nodeJson).toList());
                List<Map<String, Object>> parts = ring.partitions().stream().map(p -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", p.id());
                    m.put("chain", p.chain());
                    m.put("changedInEpoch", p.changedAt()); // a ring epoch, not a time
                    return m;
                }).toList();
                o.put("partitions", parts);
                out().println(Json.write(o));
            } else {
                out().printf("ring epoch %d  partitions %d  replication %d%n%n", ring.epoch(), ring.partitionCount(), ring.replication());
                Table t = new Table("PARTITION", "CHAIN (HEAD → TAIL)", "CHANGED IN EPOCH");
                for (RingSnapshot.PartitionChain p : ring.partitions()) {
                    t.row(p.id(), p.chain().isEmpty() ? "(unassigned)" : String.join(" → ", p.chain()), p.changedAt());
                }
                t.print(out());
            }
            out().flush();
            return ExitCodes.OK;
        }
    }
}
