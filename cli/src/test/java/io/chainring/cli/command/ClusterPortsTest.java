package io.chainring.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.embedded.EmbeddedCluster;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The port options of {@code demo} and {@code bench rebalance}: defaults per command, checks, and the demo's hint. */
class ClusterPortsTest {
    @Test
    void eachCommandHasItsOwnDefaults() {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs();
        assertThat(demo.ports.zkPort).isEqualTo(2181);
        assertThat(demo.ports.controllerPort).isEqualTo(7001);
        assertThat(demo.ports.firstPort).isEqualTo(7101);
        assertThat(demo.ports.metricsPortBase()).isEqualTo(7200);

        BenchRebalanceCommand bench = new BenchRebalanceCommand();
        new CommandLine(bench).parseArgs();
        assertThat(bench.ports.zkPort).isZero();
        assertThat(bench.ports.firstPort).isZero();
        assertThat(bench.ports.metricsPortBase()).isEqualTo(-1);

        new CommandLine(bench).parseArgs("--zk-port", "21181", "--controller-port", "21001", "--first-port", "21101",
                "--metrics-port-base", "21200");
        assertThat(bench.ports.zkPort).isEqualTo(21181);
        assertThat(bench.ports.metricsPortBase()).isEqualTo(21200);
    }

    @Test
    void theDemosMetricsPortsFollowItsDatanodePorts() {
        // the ports docs/PERFORMANCE.md moves a demo to: metrics 7400, 7401, ... clash with nothing
        ClusterPorts moved = demoPorts("--zk-port", "2281", "--controller-port", "7201", "--first-port", "7301");
        assertThat(moved.metricsPortBase()).isEqualTo(7400);
        moved.applyTo(EmbeddedCluster.builder(), 3, true, 18080);
        assertThat(demoPorts("--first-port", "0").metricsPortBase()).as("free datanode ports, free metrics ports").isZero();
        assertThatThrownBy(() -> demoPorts("--metrics-port-base", "lots").metricsPortBase())
                .hasMessage("--metrics-port-base must be auto, -1 (none), 0 (free ports) or a port: lots");
    }

    @Test
    void helpShowsTheCommandsDefaults() {
        String demoHelp = new CommandLine(new DemoCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertThat(demoHelp).contains("-1 serves none (default: auto)", "0 picks free ports (default: 7101)");
        String benchHelp = new CommandLine(new BenchRebalanceCommand()).getUsageMessage().replaceAll("\\s+", " ");
        assertThat(benchHelp).contains("-1 serves none (default: -1)", "0 picks free ports (default: 0)");
    }

    @Test
    void overlappingOrOutOfRangePortsAreRefusedNamingTheOptions() {
        ClusterPorts ports = demoPorts("--first-port", "7199", "--metrics-port-base", "7200");
        // datanodes 7199, 7200, 7201 against the controller's metrics on 7200
        assertThatThrownBy(() -> ports.applyTo(EmbeddedCluster.builder(), 3, true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port 7200 is given twice: --first-port (datanode n2) and --metrics-port-base (controller)");
        // without metrics there is no clash
        ports.applyTo(EmbeddedCluster.builder(), 3, false);

        assertThatThrownBy(() -> demoPorts("--zk-port", "8080").applyTo(EmbeddedCluster.builder(), 3, true, 8080))
                .hasMessageContaining("port 8080 is given twice: --zk-port and the admin UI's port");
        assertThatThrownBy(() -> demoPorts("--zk-port", "70000").applyTo(EmbeddedCluster.builder(), 3, true))
                .hasMessage("--zk-port must be 0..65535: 70000");
        assertThatThrownBy(() -> demoPorts("--metrics-port-base", "-2").applyTo(EmbeddedCluster.builder(), 3, true))
                .hasMessage("--metrics-port-base must be -1..65535: -2");
        // free ports never clash
        demoPorts("--zk-port", "0", "--controller-port", "0", "--first-port", "0", "--metrics-port-base", "0")
                .applyTo(EmbeddedCluster.builder(), 3, true);
    }

    @Test
    void theDemosHintNamesTheSeedsOnlyWhenTheDefaultSeedIsNotAmongThem() {
        assertThat(DemoCommand.tryHint("127.0.0.1:7101,127.0.0.1:7102")).isEqualTo("./chainring put hello world");
        assertThat(DemoCommand.tryHint("127.0.0.1:21101,127.0.0.1:21102"))
                .isEqualTo("./chainring --seeds 127.0.0.1:21101,127.0.0.1:21102 put hello world");
    }

    private static ClusterPorts demoPorts(String... args) {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs(args);
        return demo.ports;
    }
}
