package io.chainring.cli.command;

import io.chainring.adminui.AdminUiConfig;
import io.chainring.adminui.AdminUiServer;
import io.chainring.cli.Main;
import io.chainring.metadata.NodeRegistry;
import io.chainring.metadata.ZkClients;
import io.chainring.ring.NodeInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.curator.framework.CuratorFramework;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(name = "admin-ui", mixinStandardHelpOptions = true,
        description = {"Run the admin web UI (overview, nodes, ring, key lookup, charts, events).",
                "Finds the cluster through --seeds, or through ZooKeeper with --zk (the registered datanodes).",
                "Changes need the admin token; read-only pages are open unless --require-login.",
                "Also serves /metrics, /healthz and /readyz on the same port."})
public final class AdminUiCommand implements Callable<Integer> {
    @Mixin
    ServerLogOptions logOptions = new ServerLogOptions();

    @Mixin
    ServerConfigOption config = new ServerConfigOption();

    static final String TOKEN_ENV = "CHAINRING_ADMIN_TOKEN";

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--zk", paramLabel = "HOST:PORT,...",
            description = "ZooKeeper connect string; the UI then takes the registered datanodes as seeds.")
    String zk;

    @Option(names = "--cluster", defaultValue = "default", description = "Cluster name, with --zk (default: ${DEFAULT-VALUE}).")
    String cluster;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to bind (default: ${DEFAULT-VALUE}; put a TLS proxy in front before exposing it).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "Admin token, at least 12 characters (default: $" + TOKEN_ENV + "; prefer the variable, "
                    + "command lines are visible to other users).")
    String token;

    @Option(names = "--require-login", description = "Require the login for read-only pages too.")
    boolean requireLogin;

    @Override
    public Integer call() {
        logOptions.apply();
        config.logSources();
        AdminUiServer ui = start();
        spec.commandLine().getOut().println("admin UI ready on " + ui.url() + " (cluster seeds "
                + String.join(",", ui.config().seeds()) + ")");
        spec.commandLine().getOut().flush();
        return ServerLifecycle.runUntilStopped("admin-ui", ui);
    }

    /** Starts the UI (the caller closes it). */
    AdminUiServer start() {
        String adminToken = token != null ? token : System.getenv(TOKEN_ENV);
        if (adminToken == null || adminToken.isBlank()) {
            throw new IllegalArgumentException("give the admin token with --token or $" + TOKEN_ENV);
        }
        List<String> seeds = zk != null ? seedsFromZooKeeper(zk, cluster) : List.of(main.global().seeds());
        return AdminUiServer.start(AdminUiConfig.builder(seeds, adminToken).host(host).port(port)
                .requireLogin(requireLogin).callTimeout(main.global().timeout()).build());
    }

    /** The addresses of the datanodes registered in ZooKeeper under the cluster. */
    static List<String> seedsFromZooKeeper(String zkConnect, String cluster) {
        try (CuratorFramework client = ZkClients.connect(zkConnect, ZkClients.DEFAULT_SESSION_TIMEOUT, Duration.ofSeconds(10))) {
            List<String> seeds = new NodeRegistry(client, cluster).nodes().stream()
                    .map(NodeInfo::address).map(Object::toString).sorted().toList();
            if (seeds.isEmpty()) {
                throw new IllegalArgumentException("no datanodes are registered in cluster '" + cluster + "' at " + zkConnect);
            }
            return seeds;
        }
    }
}
