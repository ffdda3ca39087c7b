package io.chainring.datanode.server;

import static io.chainring.datanode.server.TestRings.keyIn;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.datanode.replication.PartitionReplica;
import io.chainring.datanode.storage.ChainWrite;
import io.chainring.ring.Ring;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.apache.thrift.TApplicationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correctness defect of issue 11 §1: the head's in-flight log refuses a write out of LSN
 * order after the write was committed in JE. That broken invariant used to travel as a storage
 * "closed" (a retryable NotServing), so the client retried and the head wrote the value twice.
 * Now the request is answered INTERNAL (outcome unknown, not retried), the node stops serving
 * (fail-stop), and a retry anyway is refused before anything is applied.
 */
class InvariantViolationTest {
    private static final int PARTITION = 0;

    @TempDir
    Path dir;

    @Test
    void aViolationAfterTheCommitIsAnsweredInternalAndTheWriteIsNeverAppliedTwice() throws Exception {
        try (ServerFixture node = new ServerFixture(dir)) {
            Ring ring = TestRings.moved(node.ring); // partition 0: chain [n1, n2], so n1's writes enter its in-flight log
            node.view.install(ring);
            byte[] key = keyIn(ring, PARTITION, 0);
            PartitionReplica head = node.replication.replica(ring, PARTITION).orElseThrow();
            // the broken invariant: the in-flight log already holds a write at a higher LSN than the next one
            head.committed(new ChainWrite(PARTITION, 1000, keyIn(ring, PARTITION, 1), "ghost".getBytes(UTF_8), null));

            try (ThriftTestClient client = node.client()) {
                assertThatThrownBy(() -> client.kv.put(ring.epoch(), buf(key), buf("v"), WriteAck.ONE))
                        .isInstanceOfSatisfying(TApplicationException.class, e -> {
                            assertThat(e.getType()).isEqualTo(TApplicationException.INTERNAL_ERROR);
                            assertThat(e.getMessage()).contains("invariant violated", "appended to the in-flight log after LSN 1000",
                                    "outcome is unknown");
                        });
            }
            // committed once, at the head
            assertThat(node.storage.partition(PARTITION).lastLsn()).isEqualTo(1);
            assertThat(node.storage.partition(PARTITION).get(key).orElseThrow().value()).isEqualTo("v".getBytes(UTF_8));
            assertThat(node.storage.isHealthy()).isFalse();

            // fail-stop: a client that retries anyway (or reads) is refused, and nothing is written a second time
            try (ThriftTestClient client = node.client()) {
                assertThatThrownBy(() -> client.kv.put(ring.epoch(), buf(key), buf("v"), WriteAck.ONE))
                        .isInstanceOf(NotServing.class);
                assertThatThrownBy(() -> client.kv.get(ring.epoch(), buf(key), ReadLevel.ONE))
                        .isInstanceOf(NotServing.class);
                assertThat(client.admin.stats().isServing()).isFalse();
            }
            assertThat(node.storage.partition(PARTITION).lastLsn()).isEqualTo(1);
        }
    }

    private static ByteBuffer buf(byte[] b) {
        return ByteBuffer.wrap(b);
    }

    private static ByteBuffer buf(String s) {
        return buf(s.getBytes(UTF_8));
    }
}
