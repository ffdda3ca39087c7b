package io.chainring.metadata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real three-server ensemble from {@code chainring zookeeper --ensemble}'s runner: a majority serves. */
@Tag("cluster")
class ZooKeeperQuorumRunnerTest {
    @TempDir
    Path dir;

    private final List<ZooKeeperQuorumRunner> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ZooKeeperQuorumRunner::close);
    }

    /** Distinct free ports: all held open at once, then released for the servers to bind. */
    private static List<Integer> freePorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                held.add(new ServerSocket(0));
            }
            return held.stream().map(ServerSocket::getLocalPort).toList();
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    @Test
    void threeServersFormAnEnsembleThatSurvivesTheLossOfOne() throws Exception {
        List<Integer> ports = freePorts(9);
        Map<Integer, String> ensemble = new LinkedHashMap<>();
        List<Integer> clientPorts = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            ensemble.put(id, "127.0.0.1:" + ports.get(3 * id - 3) + ":" + ports.get(3 * id - 2));
            clientPorts.add(ports.get(3 * id - 1));
        }
        StringBuilder connect = new StringBuilder();
        for (int id = 1; id <= 3; id++) {
            servers.add(ZooKeeperQuorumRunner.start(id, ensemble, "127.0.0.1", clientPorts.get(id - 1), dir.resolve("zk" + id)));
            connect.append(connect.length() == 0 ? "" : ",").append("127.0.0.1:").append(clientPorts.get(id - 1));
        }
        assertThat(Files.readString(dir.resolve("zk2/myid")).strip()).isEqualTo("2");
        try (CuratorFramework zk = ZkClients.connect(connect.toString(), Duration.ofSeconds(10), Duration.ofSeconds(30))) {
            zk.create().forPath("/written-by-all", "v1".getBytes(StandardCharsets.UTF_8));
            servers.get(0).close();
            // the two that remain are a majority: a write and a read still succeed
            zk.setData().forPath("/written-by-all", "v2".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(zk.getData().forPath("/written-by-all"), StandardCharsets.UTF_8)).isEqualTo("v2");
        }
        assertThat(servers.get(1).isRunning()).isTrue();
    }

    @Test
    void aBadEnsembleIsRefusedClearly() throws IOException {
        assertThatThrownBy(() -> ZooKeeperQuorumRunner.parseEnsemble("1=a:1:2,2=b:1:2"))
                .hasMessageContaining("at least 3 servers");
        assertThatThrownBy(() -> ZooKeeperQuorumRunner.parseEnsemble("1=a:1:2,2=b:1,3=c:1:2"))
                .hasMessageContaining("'2=b:1' is not ID=HOST:QUORUM_PORT:ELECTION_PORT");
        assertThatThrownBy(() -> ZooKeeperQuorumRunner.parseEnsemble("1=a:1:2,1=b:1:2,3=c:1:2"))
                .hasMessageContaining("names server 1 twice");
        Map<Integer, String> ok = ZooKeeperQuorumRunner.parseEnsemble("1=a:1:2, 2=b:1:2 ,3=c:1:2");
        assertThat(ok).containsOnlyKeys(1, 2, 3).containsEntry(2, "b:1:2");
        assertThatThrownBy(() -> ZooKeeperQuorumRunner.start(4, ok, "127.0.0.1", 0, dir.resolve("x")))
                .hasMessageContaining("server id 4 is not in the ensemble");
        Files.createDirectories(dir.resolve("y"));
        Files.writeString(dir.resolve("y/myid"), "2\n");
        assertThatThrownBy(() -> ZooKeeperQuorumRunner.start(1, ok, "127.0.0.1", 0, dir.resolve("y")))
                .hasMessageContaining("belongs to ZooKeeper server 2, not 1");
    }
}
