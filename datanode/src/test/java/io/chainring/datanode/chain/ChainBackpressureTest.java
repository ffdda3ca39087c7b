package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.WAIT;
import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static io.chainring.datanode.chain.ChainReplicationTest.buf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.chainring.ring.Ring;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.WriteAck;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes waiting for acks hold Thrift workers, so their number is bounded: past it a write is refused unapplied. */
@Tag("cluster")
class ChainBackpressureTest {
    @TempDir
    Path dir;
    ChainCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc.withMaxWaitingWrites(1).withWriteTimeout(Duration.ofSeconds(20)));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aWriteBeyondTheWaitingBoundIsRefusedBeforeItIsApplied() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        byte[] first = keyIn(ring, 0, 0);
        byte[] second = keyIn(ring, 1, 0);
        cluster.faults("n3").pauseApply();
        CompletableFuture<Long> waiting = CompletableFuture.supplyAsync(() -> {
            try (NodeClient c = cluster.client("n1")) {
                return c.kv.put(ring.epoch(), buf(first), buf("a"), WriteAck.ALL).getVersion();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (NodeClient n1 = cluster.client("n1")) {
            await().atMost(WAIT).until(() -> n1.kv.get(ring.epoch(), buf(first), ReadLevel.ONE).isFound());
            assertThatThrownBy(() -> n1.kv.put(ring.epoch(), buf(second), buf("b"), WriteAck.ONE))
                    .isInstanceOfSatisfying(Unavailable.class, e -> assertThat(e.getMessage()).contains("max waiting writes"));
            assertThat(n1.kv.get(ring.epoch(), buf(second), ReadLevel.ONE).isFound()).as("nothing applied").isFalse();
            cluster.faults("n3").resumeApply();
            assertThat(waiting.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isPositive();
            assertThat(n1.kv.put(ring.epoch(), buf(second), buf("b"), WriteAck.ALL).getVersion()).isPositive();
        }
    }
}
