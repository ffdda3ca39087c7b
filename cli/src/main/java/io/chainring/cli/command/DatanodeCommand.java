package io.chainring.cli.command;

import io.chainring.cli.output.ByteSize;
import io.chainring.datanode.Datanode;
import io.chainring.datanode.DatanodeConfig;
import io.chainring.datanode.storage.Durability;
import io.chainring.ring.NodeId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

@Command(name = "datanode", mixinStandardHelpOptions = true,
        description = {"Run a datanode. Restarting it with the same --id and --data-dir brings it back with its data."})
public final class DatanodeCommand implements Callable<Integer> {
    @Mixin
    ServerLogOptions logOptions = new ServerLogOptions();

    @Mixin
    ServerConfigOption config = new ServerConfigOption();

    @Spec
    CommandSpec spec;

    @Option(names = "--zk", required = true, paramLabel = "HOST:PORT,...", description = "ZooKeeper connect string.")
    String zk;

    @Option(names = "--id", required = true, description = "The node's stable id (letters, digits, '.', '_', '-').")
    String id;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to bind and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--advertised-host", paramLabel = "HOST",
            description = "Host registered for peers and clients to dial, if not --host (e.g. a name that resolves to a proxy).")
    String advertisedHost;

    @Option(names = "--port", defaultValue = "7101", description = "Thrift port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where the node's JE environment lives.")
    Path dataDir;

    @Option(names = "--zone", defaultValue = "default", description = "Failure zone; replicas of a partition go to distinct zones where possible.")
    String zone;

    @Option(names = "--cluster", defaultValue = "default", description = "Cluster name (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--durability", defaultValue = "write_no_sync",
            description = "write_no_sync (default; group fsync every --sync-interval-ms), sync or no_sync.")
    String durability;

    @Option(names = "--sync-interval-ms", defaultValue = "100", description = "Group fsync period for write_no_sync (default: ${DEFAULT-VALUE}).")
    int syncIntervalMillis;

    @Option(names = "--max-key-bytes", defaultValue = "1024", description = "Largest key accepted (default: ${DEFAULT-VALUE}).")
    int maxKeyBytes;

    @Option(names = "--max-value-bytes", defaultValue = "1048576", description = "Largest value accepted (default: ${DEFAULT-VALUE}).")
    int maxValueBytes;

    @Option(names = "--session-timeout", defaultValue = "2", paramLabel = "SECONDS",
            description = "ZooKeeper session timeout: a killed or frozen node is dropped from its chains this long after it "
                    + "went silent, and a node silent for 2/3 of it stops serving (default: ${DEFAULT-VALUE}; "
                    + "docs/DESIGN.md, Failover).")
    int sessionTimeoutSeconds;

    @Option(names = "--metrics-port", defaultValue = "-1", paramLabel = "PORT",
            description = "Serve /metrics, /healthz and /readyz on this port; 0 picks a free one, -1 serves none (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--min-free-disk", defaultValue = "5GiB", paramLabel = "SIZE",
            description = "Free space to keep on the data directory's volume (JE's free-disk limit): below it the node "
                    + "refuses writes, reports itself not ready and leaves the chains that can write without it; "
                    + "e.g. 5GiB, 500MB (default: ${DEFAULT-VALUE}).")
    String minFreeDisk;

    @Mixin
    ZkAuthOption zkAuth = new ZkAuthOption();

    @Mixin
    ClusterSecretOption clusterSecret = new ClusterSecretOption();

    private long minFreeDiskBytes() {
        try {
            return ByteSize.parse(minFreeDisk);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--min-free-disk: " + e.getMessage());
        }
    }

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        config.logSources();
        DatanodeConfig config = DatanodeConfig.builder(NodeId.of(id), dataDir, zk)
                .host(host).advertisedHost(advertisedHost).port(port).zone(zone).cluster(cluster)
                .durability(Durability.parse(durability))
                .syncInterval(Duration.ofMillis(syncIntervalMillis))
                .maxKeyBytes(maxKeyBytes).maxValueBytes(maxValueBytes)
                .zkSessionTimeout(Duration.ofSeconds(sessionTimeoutSeconds))
                .metricsPort(metricsPort)
                .zkAuth(zkAuth.resolve())
                .clusterSecret(clusterSecret.resolve())
                .minFreeDisk(minFreeDiskBytes())
                .build();
        Datanode node = new Datanode(config).start();
        spec.commandLine().getOut().println("datanode " + id + " ready on " + host + ":" + node.port() + " (cluster " + cluster + ")"
                + node.metricsPort().map(p -> ", metrics on http://" + host + ":" + p + "/metrics").orElse(""));
        spec.commandLine().getOut().flush();
        return ServerLifecycle.runUntilStopped("datanode " + id, node);
    }
}
