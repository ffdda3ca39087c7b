package io.chainring.cli.command;

import io.chainring.metadata.ZooKeeperServerRunner;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "zookeeper", mixinStandardHelpOptions = true,
        description = "Run a standalone ZooKeeper server (for trying Chainring without an ensemble).")
public final class ZooKeeperCommand implements Callable<Integer> {
    @Mixin
    ServerLogOptions logOptions = new ServerLogOptions();

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "2181", description = "Client port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--data-dir", required = true, paramLabel = "DIR", description = "Where snapshots and logs go.")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        logOptions.apply();
        ZooKeeperServerRunner zk = ZooKeeperServerRunner.start(host, port, dataDir);
        spec.commandLine().getOut().println("zookeeper ready on " + zk.connectString());
        spec.commandLine().getOut().flush();
        return ServerLifecycle.runUntilStopped("zookeeper", zk);
    }
}
