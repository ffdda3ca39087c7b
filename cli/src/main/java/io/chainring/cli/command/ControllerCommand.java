package io.chainring.cli.command;

import io.chainring.controller.Controller;
import io.chainring.controller.ControllerConfig;
import io.chainring.controller.migration.MigrationExecutor;
import io.chainring.ring.plan.BalancedPlanner;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "controller", mixinStandardHelpOptions = true,
        description = {"Run a controller. Start two or more: one leads (ZooKeeper election), the others stand by.",
                "The first controller of a cluster creates its config; later ones must agree or fail."})
public final class ControllerCommand implements Callable<Integer> {
    @Mixin
    ServerLogOptions logOptions = new ServerLogOptions();

    @Mixin
    ServerConfigOption config = new ServerConfigOption();

    @Spec
    CommandSpec spec;

    @Option(names = "--zk", required = true, paramLabel = "HOST:PORT,...", description = "ZooKeeper connect string.")
    String zk;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address the admin service binds to and advertises (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "7001", description = "Admin (Thrift) port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--cluster", defaultValue = "default", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--partitions", paramLabel = "Q", description = "Partition count of a new cluster (default 256).")
    Integer partitions;

    @Option(names = "--replication", paramLabel = "R", description = "Replication factor of a new cluster (default 3).")
    Integer replication;

    @Option(names = "--min-chain-for-writes", paramLabel = "N",
            description = "Writes are refused while a chain is shorter than this (default 2 when R >= 3, else 1).")
    Integer minChainForWrites;

    @Option(names = "--auto-join", description = "Form the first ring from the live registered nodes automatically.")
    boolean autoJoin;

    @Option(names = "--min-nodes", defaultValue = "1", paramLabel = "N",
            description = "How many live nodes the first ring waits for (default: ${DEFAULT-VALUE}).")
    int minNodes;

    @Option(names = "--session-timeout", defaultValue = "10", paramLabel = "SECONDS",
            description = "ZooKeeper session timeout (default: ${DEFAULT-VALUE}).")
    int sessionTimeoutSeconds;

    @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "PORT",
            description = "Serve /metrics, /healthz and /readyz on this port; 0 picks a free one, -1 serves none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--auto-add", description = "Add NEW datanodes that register after the first ring by a plan of the "
            + "controller's own (default: they wait for 'chainring node add').")
    boolean autoAdd;

    @Option(names = "--max-moves-per-node", defaultValue = "" + MigrationExecutor.DEFAULT_MAX_MOVES_PER_NODE, paramLabel = "M",
            description = "Partition moves running at once per node, at most (default: ${DEFAULT-VALUE}).")
    int maxMovesPerNode;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Token that admin changes (node add/decommission/remove, plan, throttle) must carry, at least "
                    + "12 characters (default: $" + AdminUiCommand.TOKEN_ENV + "; prefer the variable, a flag shows in ps). "
                    + "Without one the controller refuses every change.")
    String adminToken;

    @Mixin
    ZkAuthOption zkAuth = new ZkAuthOption();

    @Override
    public Integer call() {
        logOptions.apply();
        config.logSources();
        String token = adminToken != null ? adminToken : System.getenv(AdminUiCommand.TOKEN_ENV);
        ControllerConfig.Builder config = ControllerConfig.builder(zk)
                .cluster(cluster).host(host).port(port)
                .autoJoin(autoJoin).minNodes(minNodes)
                .sessionTimeout(Duration.ofSeconds(sessionTimeoutSeconds))
                .metricsPort(metricsPort)
                .autoAdd(autoAdd).maxMovesPerNode(maxMovesPerNode)
                .adminToken(token == null || token.isBlank() ? null : token)
                .zkAuth(zkAuth.resolve());
        if (partitions != null) {
            config.partitions(partitions);
        }
        if (replication != null) {
            config.replication(replication);
        }
        if (minChainForWrites != null) {
            config.minChainForWrites(minChainForWrites);
        }
        Controller controller = new Controller(config.build(), new BalancedPlanner());
        try {
            controller.start();
        } catch (RuntimeException e) {
            controller.close();
            throw e;
        }
        spec.commandLine().getOut().println("controller ready on " + controller.adminAddress() + " (cluster " + cluster + ")"
                + controller.metricsPort().map(p -> ", metrics on http://" + host + ":" + p + "/metrics").orElse(""));
        spec.commandLine().getOut().flush();
        return ServerLifecycle.runUntilStopped("controller", controller);
    }
}
