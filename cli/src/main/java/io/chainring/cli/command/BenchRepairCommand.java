package io.chainring.cli.command;

import io.chainring.cli.bench.RebalanceBench;
import picocli.CommandLine.Command;

/**
 * {@code chainring bench repair}: the same harness and options as {@code bench rebalance}, with a
 * failure instead of a plan: 4 datanodes, n4 killed under load, time until every chain is back at R.
 */
@Command(name = "repair", mixinStandardHelpOptions = true,
        description = {"Re-replication under load, in this JVM: starts an embedded cluster of 4 datanodes (R=3), loads records, "
                + "runs a closed-loop load, then kills n4 and measures until every chain has R members again (chain repair "
                + "copying at the repair budget), and keeps the load running a while after.",
                "Reports the time to full replication, bytes and MB/s copied, and per phase (before, during, after) throughput, "
                        + "p50/p99/p99.9 latency and errors; --json and --chart as for 'bench rebalance'.",
                "In this JVM the killed node's ZooKeeper session ends with it; a real kill -9 adds the session timeout."})
public final class BenchRepairCommand extends BenchRebalanceCommand {
    @Override
    protected RebalanceBench.Scenario scenario() {
        return RebalanceBench.Scenario.REPAIR;
    }
}
