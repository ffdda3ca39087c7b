package io.chainring.cli.command;

import io.chainring.embedded.EmbeddedCluster;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;

/**
 * Where an embedded cluster listens: the port options that {@code demo} and {@code bench
 * rebalance} share. Each command gives its own defaults through {@link #defaults} (the demo's
 * are fixed so that scripts and scrapers find it; the bench picks free ports).
 */
public final class ClusterPorts {
    private static final int FREE = 0;
    private static final int NONE = -1;
    private static final String AUTO = "auto";
    /** The demo's metrics ports follow its datanode ports at this distance: 7101 → 7200 (controller), 7201, ... */
    private static final int AUTO_OFFSET = 99;

    @Option(names = "--zk-port", paramLabel = "PORT", description = "ZooKeeper's port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int zkPort;

    @Option(names = "--controller-port", paramLabel = "PORT",
            description = "The controller's admin port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int controllerPort;

    @Option(names = "--first-port", paramLabel = "PORT",
            description = "Port of datanode n1; n2 gets the next one, and so on; 0 picks free ports (default: ${DEFAULT-VALUE}).")
    int firstPort;

    @Option(names = "--metrics-port-base", paramLabel = "PORT",
            description = "Serve /metrics, /healthz and /readyz: the controller's on PORT, datanode n<k>'s on PORT + k; "
                    + "'auto' is " + AUTO_OFFSET + " above --first-port (7200 for 7101; free ports when that is 0), "
                    + "0 picks free ports, -1 serves none (default: ${DEFAULT-VALUE}).")
    String metricsPortBase;

    /** A command's defaults for these options, given to picocli as the command's default value provider. */
    static class Defaults implements IDefaultValueProvider {
        private final Map<String, String> values = new HashMap<>();

        Defaults(int zk, int controller, int firstDatanode, String metricsBase) {
            values.put("--zk-port", String.valueOf(zk));
            values.put("--controller-port", String.valueOf(controller));
            values.put("--first-port", String.valueOf(firstDatanode));
            values.put("--metrics-port-base", metricsBase);
        }

        @Override
        public String defaultValue(ArgSpec arg) {
            return arg instanceof OptionSpec o ? values.get(o.longestName()) : null;
        }
    }

    /** {@code demo}: fixed ports, so that scripts, the README and scrapers can rely on them. */
    public static final class DemoDefaults extends Defaults {
        public DemoDefaults() {
            super(2181, 7001, 7101, AUTO);
        }
    }

    /** {@code bench rebalance}: free ports and no metrics, so that a bench clashes with nothing running. */
    public static final class BenchDefaults extends Defaults {
        public BenchDefaults() {
            super(FREE, FREE, FREE, String.valueOf(NONE));
        }
    }

    /**
     * Sets the ports of a cluster of {@code datanodes} datanodes (spares included) after checking
     * them: each in range, and no two fixed ports the same ({@code otherPorts}: ports the command
     * binds besides the cluster, such as the admin UI's).
     *
     * @throws IllegalArgumentException naming the option at fault
     */
    void applyTo(EmbeddedCluster.Builder cluster, int datanodes, boolean metrics, int... otherPorts) {
        check("--zk-port", zkPort, FREE);
        check("--controller-port", controllerPort, FREE);
        check("--first-port", firstPort, FREE);
        int metricsPortBase = metricsPortBase();
        check("--metrics-port-base", metricsPortBase, NONE);
        if (firstPort > 0 && firstPort + datanodes - 1 > 65_535) {
            throw new IllegalArgumentException("--first-port " + firstPort + " leaves no room for " + datanodes + " datanodes");
        }
        if (metrics && metricsPortBase > 0 && metricsPortBase + datanodes > 65_535) {
            throw new IllegalArgumentException("--metrics-port-base " + metricsPortBase + " leaves no room for " + datanodes + " datanodes");
        }
        Map<Integer, String> taken = new HashMap<>();
        claim(taken, zkPort, "--zk-port");
        claim(taken, controllerPort, "--controller-port");
        for (int k = 1; k <= datanodes && firstPort > 0; k++) {
            claim(taken, firstPort + k - 1, "--first-port (datanode n" + k + ")");
        }
        if (metrics && metricsPortBase > 0) {
            claim(taken, metricsPortBase, "--metrics-port-base (controller)");
            for (int k = 1; k <= datanodes; k++) {
                claim(taken, metricsPortBase + k, "--metrics-port-base (datanode n" + k + ")");
            }
        }
        for (int p : otherPorts) {
            claim(taken, p, "the admin UI's port");
        }
        cluster.zkPort(zkPort).controllerPort(controllerPort).firstDatanodePort(firstPort);
        if (metrics && metricsPortBase >= 0) {
            cluster.metricsPortBase(metricsPortBase);
        } else {
            cluster.metrics(false);
        }
    }

    /** The metrics port base in effect: the option's number, or the one 'auto' stands for. */
    int metricsPortBase() {
        if (AUTO.equalsIgnoreCase(metricsPortBase.trim())) {
            return firstPort == FREE ? FREE : firstPort + AUTO_OFFSET;
        }
        try {
            return Integer.parseInt(metricsPortBase.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--metrics-port-base must be auto, -1 (none), 0 (free ports) or a port: "
                    + metricsPortBase);
        }
    }

    private static void check(String option, int port, int lowest) {
        if (port < lowest || port > 65_535) {
            throw new IllegalArgumentException(option + " must be " + lowest + "..65535: " + port);
        }
    }

    private static void claim(Map<Integer, String> taken, int port, String what) {
        if (port <= 0) {
            return;
        }
        String other = taken.putIfAbsent(port, what);
        if (other != null) {
            throw new IllegalArgumentException("port " + port + " is given twice: " + other + " and " + what);
        }
    }
}
