package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.ring.Ring;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.WriteAck;
import java.io.DataOutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, defect 2, on real datanodes: four connections to every node of a chain, each
 * announcing a 16 MiB frame and then silent, froze the old server (it reserved the announced
 * size from a shared budget). Now the chain keeps taking writes and answering reads meanwhile;
 * the stalled connections are cut after the frame timeout (HostileConnectionsTest).
 */
@Tag("cluster")
class StalledFramesTest {
    @TempDir
    Path dir;

    @Test
    void fourConnectionsAnnouncing16MiBThenSilenceDoNotStopTheChain() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try (ChainCluster cluster = new ChainCluster(dir, rc -> rc, Optional.empty())) {
            for (String n : List.of("n1", "n2", "n3")) {
                cluster.start(n);
            }
            Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
            for (String n : List.of("n1", "n2", "n3")) {
                for (int i = 0; i < 4; i++) {
                    Socket s = new Socket();
                    stalled.add(s);
                    s.connect(new InetSocketAddress("127.0.0.1", cluster.node(n).port()), 5_000);
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    out.writeInt(16 * 1024 * 1024);
                    out.write(new byte[] {(byte) 0x80, 1, 0, 1});
                    out.flush();
                }
            }
            try (NodeClient head = cluster.client("n1"); NodeClient tail = cluster.client("n3")) {
                for (int i = 0; i < 50; i++) {
                    byte[] key = keyIn(ring, i % ChainCluster.PARTITIONS, i);
                    head.kv.put(ring.epoch(), buf(key), buf("v" + i), WriteAck.ALL);
                    assertThat(tail.kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE).getValue()).isEqualTo(("v" + i).getBytes(UTF_8));
                }
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }
}
