package io.chainring.cli.command;

import io.chainring.metadata.ZooKeeperQuorumRunner;
import io.chainring.metadata.ZooKeeperServerRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "zookeeper", mixinStandardHelpOptions = true,
        description = {"Run a ZooKeeper server: standalone (for trying Chainring), or one server of an ensemble",
                "with --server-id and --ensemble (the same list on every server; docs/DEPLOY.md)."})
public final class ZooKeeperCommand implements Callable<Integer> {
    @Mixin
    ServerLogOptions logOptions = new ServerLogOptions();

    @Mixin
    ServerConfigOption config = new ServerConfigOption();

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "2181", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where snapshots and logs go.")
    Path dataDir;

    @Option(names = "--server-id", paramLabel = "N", description = "This server's id in the --ensemble (1..255).")
    Integer serverId;

    @Option(names = "--ensemble", paramLabel = "ID=HOST:QPORT:EPORT,...",
            description = "Every server of the ensemble: id, host, quorum port and leader-election port, "
                    + "e.g. 1=zk1:2888:3888,2=zk2:2888:3888,3=zk3:2888:3888 (at least 3).")
    String ensemble;

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        config.logSources();
        if ((serverId == null) != (ensemble == null || ensemble.isBlank())) {
            throw new IllegalArgumentException("--server-id and --ensemble go together (one server of an ensemble), or neither (standalone)");
        }
        if (serverId != null) {
            ZooKeeperQuorumRunner peer = ZooKeeperQuorumRunner.start(serverId, ZooKeeperQuorumRunner.parseEnsemble(ensemble),
                    host, port, dataDir);
            spec.commandLine().getOut().println("zookeeper server " + serverId + " ready on " + peer.clientAddress()
                    + " (serves once a majority of the ensemble is up)");
            spec.commandLine().getOut().flush();
            return ServerLifecycle.runUntilStopped("zookeeper " + serverId, peer);
        }
        ZooKeeperServerRunner zk = ZooKeeperServerRunner.start(host, port, dataDir);
        spec.commandLine().getOut().println("zookeeper ready on " + zk.connectString());
        spec.commandLine().getOut().flush();
        return ServerLifecycle.runUntilStopped("zookeeper", zk);
    }
}
