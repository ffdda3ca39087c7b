package io.chainring.datanode.chain;

import static io.chainring.datanode.chain.ChainCluster.keyIn;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.Ring;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.VersionMismatch;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that change nothing — a compare-and-set whose version does not match, a delete of an
 * absent key — are judged at the head against its latest state, which may hold writes not yet
 * committed. They must not answer from that state before it commits: a client would learn of a
 * version that may still be lost with the head, and a later linearizable read would not see it
 * (found by the multi-process nemesis test: a CAS mismatch reported version 133 while the write of
 * 133 was in flight, then a LINEARIZABLE read returned 132).
 */
@Tag("cluster")
class UnchangedWriteCommitTest {
    @TempDir
    Path dir;
    ChainCluster cluster;

    @BeforeEach
    void start() throws Exception {
        cluster = new ChainCluster(dir, rc -> rc.withWriteTimeout(Duration.ofMillis(1500)));
        cluster.start("n1");
        cluster.start("n2");
        cluster.start("n3");
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void aCompareAndSetMismatchAnswersOnlyOnceTheVersionItReportsIsCommitted() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        byte[] key = keyIn(ring, 2, 0);
        try (NodeClient n1 = cluster.client("n1"); NodeClient waiter = cluster.client("n1"); NodeClient n3 = cluster.client("n3")) {
            long v1 = n1.kv.put(ring.epoch(), buf(key), buf("v1"), WriteAck.ALL).getVersion();
            cluster.faults("n3").pauseApply();
            long v2 = n1.kv.put(ring.epoch(), buf(key), buf("v2"), WriteAck.ONE).getVersion();
            assertThat(v2).as("v2 is at the head, not at the tail").isGreaterThan(v1);

            // the tail cannot commit v2 in time: refused, nothing applied, v2 not revealed
            assertThatThrownBy(() -> n1.kv.compareAndSet(ring.epoch(), buf(key), buf("c1"), v1, "req-1"))
                    .isInstanceOfSatisfying(Unavailable.class, e -> assertThat(e.getMessage())
                            .contains("compareAndSet found version " + v2).contains("nothing was applied"));
            GetResult tail = n3.kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE);
            assertThat(tail.getVersion()).as("the committed version is still v1").isEqualTo(v1);

            // a mismatch waiting while the tail catches up answers with v2 once v2 is committed
            CompletableFuture<Long> cas = CompletableFuture.supplyAsync(() -> {
                try {
                    return waiter.kv.compareAndSet(ring.epoch(), buf(key), buf("c2"), v1, "req-2").getVersion();
                } catch (VersionMismatch e) {
                    return -e.getActualVersion();
                } catch (Exception e) {
                    throw new CompletionException(e);
                }
            });
            Thread.sleep(300);
            assertThat(cas).as("no answer while v2 is uncommitted").isNotDone();
            cluster.faults("n3").resumeApply();
            assertThat(cas.get(10, TimeUnit.SECONDS)).as("mismatch reporting v2").isEqualTo(-v2);
            assertThat(n3.kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE).getVersion())
                    .as("what the mismatch reported is committed").isEqualTo(v2);
        }
    }

    @Test
    void aDeleteThatFindsNothingBecauseOfAnUncommittedTombstoneWaitsForIt() throws Exception {
        Ring ring = cluster.publishAll(List.of("n1", "n2", "n3"), List.of());
        byte[] key = keyIn(ring, 3, 0);
        try (NodeClient n1 = cluster.client("n1"); NodeClient n3 = cluster.client("n3")) {
            n1.kv.put(ring.epoch(), buf(key), buf("v1"), WriteAck.ALL);
            cluster.faults("n3").pauseApply();
            assertThat(n1.kv.remove(ring.epoch(), buf(key), WriteAck.ONE).isExisted()).as("tombstone at the head").isTrue();

            assertThatThrownBy(() -> n1.kv.remove(ring.epoch(), buf(key), WriteAck.ALL))
                    .as("'absent' is not committed yet").isInstanceOfSatisfying(Unavailable.class, e ->
                            assertThat(e.getMessage()).contains("remove found no value").contains("nothing was applied"));
            assertThat(n3.kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE).isFound()).as("still present at the tail").isTrue();
            // at level ONE the head's own state is what the caller asked for
            assertThat(n1.kv.remove(ring.epoch(), buf(key), WriteAck.ONE).isExisted()).isFalse();

            cluster.faults("n3").resumeApply();
            assertThat(n1.kv.remove(ring.epoch(), buf(key), WriteAck.ALL).isExisted()).isFalse();
            assertThat(n3.kv.get(ring.epoch(), buf(key), ReadLevel.LINEARIZABLE).isFound()).isFalse();
        }
    }

    private static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(s.getBytes(UTF_8));
    }

    private static ByteBuffer buf(byte[] b) {
        return ByteBuffer.wrap(b);
    }
}
