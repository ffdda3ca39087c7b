package io.chainring.cli.command;

import io.chainring.adminui.AdminUiConfig;
import io.chainring.adminui.AdminUiServer;
import io.chainring.cli.GlobalOptions;
import io.chainring.embedded.EmbeddedCluster;
import io.chainring.metadata.ZkAuth;
import io.chainring.transport.ClusterSecret;
import io.chainring.observability.AdminToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, defaultValueProvider = ClusterPorts.DemoDefaults.class,
        description = {"Run a whole cluster in this process.",
                "ZooKeeper on 2181, a controller on 7001 and datanodes on 7101, 7102, ...; their /metrics on 7200 (controller), "
                        + "7201, 7202, ... (datanodes).",
                "Also the admin web UI on 8080, with a fresh admin token (or $CHAINRING_ADMIN_TOKEN).",
                "Prints a line with 'ready' and the seeds, and the UI's address and token; Ctrl-C stops it."})
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    ServerLogOptions logOptions = new ServerLogOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--nodes", defaultValue = "3", description = "Number of datanodes (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--partitions", defaultValue = "64", description = "Partitions of a new demo cluster (default: ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--data-dir", defaultValue = "demo-data", paramLabel = "DIR",
            description = "Where the demo keeps its data between runs (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--fresh", description = "Delete the data dir first and start an empty cluster.")
    boolean fresh;

    @Mixin
    ClusterPorts ports;

    @Option(names = "--ui-port", defaultValue = "8080",
            description = "Admin web UI port; 0 picks a free one, -1 runs no UI (default: ${DEFAULT-VALUE}).")
    int uiPort;

    @Option(names = "--spare-nodes", defaultValue = "0", paramLabel = "N",
            description = "Also start N datanodes that stay NEW, to try 'chainring node add' or the UI's add (default: ${DEFAULT-VALUE}).")
    int spareNodes;

    @Option(names = "--metrics", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Serve /metrics, /healthz and /readyz of the controller and each datanode, on the ports of "
                    + "--metrics-port-base (default: on; --no-metrics turns them off).")
    boolean metrics;

    /** The demo's ZooKeeper digest secret, made at its first start and kept with its data. */
    private Path zkAuthFile() {
        return dataDir.toAbsolutePath().resolve("zk-auth");
    }

    /** The demo's cluster secret (DESIGN: Security), made at its first start and kept with its data. */
    private Path clusterSecretFile() {
        return dataDir.toAbsolutePath().resolve("cluster-secret");
    }

    @Override
    public Integer call() throws Exception {
        if (nodes < 1 || nodes > 32) {
            throw new IllegalArgumentException("--nodes must be 1..32: " + nodes);
        }
        if (spareNodes < 0 || spareNodes > 32) {
            throw new IllegalArgumentException("--spare-nodes must be 0..32: " + spareNodes);
        }
        logOptions.apply();
        if (fresh) {
            deleteRecursively(dataDir);
        }
        String env = System.getenv(AdminUiCommand.TOKEN_ENV);
        String token = env != null && !env.isBlank() ? env : AdminToken.generate();
        EmbeddedCluster.Builder builder = EmbeddedCluster.builder()
                .adminToken(token)
                .nodes(nodes)
                .partitions(partitions)
                .dataDir(dataDir.toAbsolutePath())
                .zkAuth(ZkAuth.loadOrCreate(zkAuthFile()))
                .clusterSecret(ClusterSecret.loadOrCreate(clusterSecretFile()));
        ports.applyTo(builder, nodes + spareNodes, metrics, uiPort > 0 ? new int[] {uiPort} : new int[0]);
        EmbeddedCluster cluster = builder.build();
        try {
            cluster.start();
            for (int i = 0; i < spareNodes; i++) {
                cluster.addDatanode();
            }
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        AdminUiServer ui = null;
        if (uiPort >= 0) {
            try {
                ui = AdminUiServer.start(AdminUiConfig.builder(List.of(cluster.seeds()), token).port(uiPort).build());
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
        }
        // one line that scripts wait for: 'ready', the seeds, and every http:// address served
        spec.commandLine().getOut().println("chainring demo ready: seeds " + cluster.seeds()
                + (ui == null ? "" : ", admin UI " + ui.url())
                + " (zookeeper " + cluster.zkConnect() + ", controller " + cluster.controllerAddress()
                + ", replication " + cluster.ring().map(r -> String.valueOf(r.replication())).orElse("?")
                + ", data in " + dataDir.toAbsolutePath() + "). Try: " + tryHint(cluster.seeds()));
        spec.commandLine().getOut().println("admin token: " + token + (ui == null ? "" : " (log in at " + ui.url() + ")")
                + "; for node add/decommission and throttle: export " + AdminUiCommand.TOKEN_ENV + "=" + token);
        spec.commandLine().getOut().println("ZooKeeper credentials: " + zkAuthFile()
                + " (a datanode or controller started by hand needs --zk-auth-file " + zkAuthFile() + ")");
        spec.commandLine().getOut().println("cluster secret: " + clusterSecretFile()
                + " (a datanode started by hand needs --cluster-secret-file " + clusterSecretFile() + ")");
        if (metrics) {
            StringBuilder urls = new StringBuilder("metrics: controller ");
            cluster.controller().metricsPort().ifPresent(p -> urls.append("http://127.0.0.1:").append(p).append("/metrics"));
            for (var node : cluster.datanodes()) {
                node.metricsPort().ifPresent(p -> urls.append(", ").append(node.nodeId()).append(" http://127.0.0.1:")
                        .append(p).append("/metrics"));
            }
            spec.commandLine().getOut().println(urls);
        }
        spec.commandLine().getOut().flush();
        AdminUiServer started = ui;
        return ServerLifecycle.runUntilStopped("demo", () -> {
            try {
                if (started != null) {
                    started.close();
                }
            } finally {
                cluster.close();
            }
        });
    }

    /** A first command to try; it names the seeds unless the CLI's default seed is one of them. */
    static String tryHint(String seeds) {
        boolean reachedByDefault = List.of(seeds.split(",")).contains(GlobalOptions.DEFAULT_SEEDS);
        return "./chainring " + (reachedByDefault ? "" : "--seeds " + seeds + " ") + "put hello world";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
