package io.chainring.datanode.server;

import static io.chainring.datanode.server.TestRings.keyIn;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.KeyValue;
import io.chainring.thrift.MultiGetResult;
import io.chainring.thrift.MultiPutResult;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.PutResult;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.RemoveResult;
import io.chainring.thrift.ScanResult;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.VersionMismatch;
import io.chainring.thrift.VersionedEntry;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kv service over real Thrift on loopback, backed by real JE storage. */
class KvServiceTest {
    @TempDir
    Path dir;
    ServerFixture node;
    ThriftTestClient client;
    Ring ring;
    long epoch;

    @BeforeEach
    void start() throws Exception {
        node = new ServerFixture(dir);
        client = node.client();
        ring = node.ring;
        epoch = ring.epoch();
    }

    @AfterEach
    void stop() {
        client.close();
        node.close();
    }

    @Test
    void putGetRemoveOverThrift() throws Exception {
        byte[] key = keyIn(ring, 0, 0);
        GetResult absent = client.kv.get(epoch, buf(key), ReadLevel.LINEARIZABLE);
        assertThat(absent.isFound()).isFalse();
        assertThat(absent.getVersion()).isZero();
        assertThat(absent.getRingEpoch()).isEqualTo(epoch);

        PutResult put = client.kv.put(epoch, buf(key), buf("v1"), WriteAck.ALL);
        assertThat(put.getVersion()).isEqualTo(1);
        assertThat(put.getRingEpoch()).isEqualTo(epoch);
        PutResult again = client.kv.put(epoch, buf(key), buf("v2"), WriteAck.ONE);
        assertThat(again.getVersion()).isEqualTo(2);

        GetResult got = client.kv.get(epoch, buf(key), ReadLevel.ONE);
        assertThat(got.isFound()).isTrue();
        assertThat(got.getValue()).isEqualTo(b("v2"));
        assertThat(got.getVersion()).isEqualTo(2);

        RemoveResult removed = client.kv.remove(epoch, buf(key), WriteAck.MAJORITY);
        assertThat(removed.isExisted()).isTrue();
        assertThat(removed.getVersion()).isEqualTo(3);
        assertThat(client.kv.get(epoch, buf(key), null).isFound()).isFalse();
        RemoveResult nothing = client.kv.remove(epoch, buf(key), WriteAck.ALL);
        assertThat(nothing.isExisted()).isFalse();
        assertThat(nothing.getVersion()).isZero();
        assertThat(nothing.getRingEpoch()).isEqualTo(epoch);
    }

    @Test
    void emptyValueIsAValue() throws Exception {
        byte[] key = keyIn(ring, 1, 0);
        client.kv.put(epoch, buf(key), ByteBuffer.allocate(0), WriteAck.ALL);
        GetResult got = client.kv.get(epoch, buf(key), ReadLevel.LINEARIZABLE);
        assertThat(got.isFound()).isTrue();
        assertThat(got.getValue()).isEmpty();
    }

    @Test
    void compareAndSetOverThrift() throws Exception {
        byte[] key = keyIn(ring, 2, 0);
        assertThat(client.kv.compareAndSet(epoch, buf(key), buf("a"), 0, "").getVersion()).isEqualTo(1);
        assertThatThrownBy(() -> client.kv.compareAndSet(epoch, buf(key), buf("b"), 0, ""))
                .isInstanceOfSatisfying(VersionMismatch.class, e -> {
                    assertThat(e.getActualVersion()).isEqualTo(1);
                    assertThat(e.getCode()).isEqualTo(ErrorCode.VERSION_MISMATCH);
                });
        assertThatThrownBy(() -> client.kv.compareAndSet(epoch, buf(keyIn(ring, 2, 1)), buf("b"), 4, null))
                .isInstanceOfSatisfying(VersionMismatch.class, e -> assertThat(e.getActualVersion()).isZero());
        assertThat(client.kv.compareAndSet(epoch, buf(key), buf("b"), 1, "").getVersion()).isEqualTo(2);
        assertThat(client.kv.get(epoch, buf(key), ReadLevel.LINEARIZABLE).getValue()).isEqualTo(b("b"));
        assertThatThrownBy(() -> client.kv.compareAndSet(epoch, buf(key), buf("c"), -1, ""))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("negative");
    }

    @Test
    void aRetriedCompareAndSetWithTheSameRequestIdAppliesOnce() throws Exception {
        byte[] key = keyIn(ring, 3, 0);
        long first = client.kv.compareAndSet(epoch, buf(key), buf("x"), 0, "req-1").getVersion();
        // the retry (say after a timeout) answers like the first attempt instead of a mismatch
        assertThat(client.kv.compareAndSet(epoch, buf(key), buf("x"), 0, "req-1").getVersion()).isEqualTo(first);
        // a different request with the same precondition does conflict
        assertThatThrownBy(() -> client.kv.compareAndSet(epoch, buf(key), buf("y"), 0, "req-2"))
                .isInstanceOf(VersionMismatch.class);
        assertThat(client.kv.get(epoch, buf(key), ReadLevel.LINEARIZABLE).getVersion()).isEqualTo(first);
    }

    @Test
    void multiPutAndMultiGetAcrossPartitions() throws Exception {
        List<KeyValue> entries = new ArrayList<>();
        List<ByteBuffer> keys = new ArrayList<>();
        for (int p : new int[] {0, 1, 2, 3}) {
            for (int i = 0; i < 3; i++) {
                byte[] key = keyIn(ring, p, i);
                entries.add(new KeyValue(buf(key), buf("v-" + p + "-" + i)));
                keys.add(buf(key));
            }
        }
        MultiPutResult put = client.kv.multiPut(epoch, entries, WriteAck.ALL);
        assertThat(put.getVersions()).hasSize(12);
        assertThat(put.getVersions().subList(0, 3)).containsExactly(1L, 2L, 3L);
        assertThat(put.getRingEpoch()).isEqualTo(epoch);

        keys.add(buf(keyIn(ring, 0, 10))); // absent
        MultiGetResult got = client.kv.multiGet(epoch, keys, ReadLevel.LINEARIZABLE);
        assertThat(got.getResults()).hasSize(13);
        for (int i = 0; i < 12; i++) {
            assertThat(got.getResults().get(i).getValue()).isEqualTo(entries.get(i).getValue());
        }
        assertThat(got.getResults().get(12).isFound()).isFalse();
        // reads may go to any chain member: n1 is the tail of partition 4
        assertThat(client.kv.multiGet(epoch, List.of(buf(keyIn(ring, 4, 0))), ReadLevel.ONE).getResults().get(0).isFound()).isFalse();
    }

    @Test
    void multiPutIsRejectedWholeWhenOneKeyIsMisrouted() throws Exception {
        byte[] good = keyIn(ring, 0, 0);
        byte[] notHead = keyIn(ring, 4, 0);
        List<KeyValue> entries = List.of(new KeyValue(buf(good), buf("v")), new KeyValue(buf(notHead), buf("v")));
        assertThatThrownBy(() -> client.kv.multiPut(epoch, entries, WriteAck.ALL)).isInstanceOf(StaleRouting.class);
        assertThat(client.kv.get(epoch, buf(good), ReadLevel.ONE).isFound()).as("nothing applied").isFalse();
        List<KeyValue> bad = List.of(new KeyValue(buf(good), buf("v")), new KeyValue(ByteBuffer.allocate(0), buf("v")));
        assertThatThrownBy(() -> client.kv.multiPut(epoch, bad, WriteAck.ALL))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("empty");
        assertThat(client.kv.get(epoch, buf(good), ReadLevel.ONE).isFound()).isFalse();
    }

    @Test
    void scanPagesThroughAPartitionInKeyOrder() throws Exception {
        List<byte[]> keys = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            byte[] key = keyIn(ring, 1, i);
            keys.add(key);
            client.kv.put(epoch, buf(key), buf("v" + i), WriteAck.ALL);
        }
        client.kv.remove(epoch, buf(keys.get(3)), WriteAck.ALL);
        List<byte[]> seen = new ArrayList<>();
        ByteBuffer cursor = ByteBuffer.allocate(0);
        for (int pages = 0; pages < 100; pages++) {
            ScanResult page = client.kv.scan(epoch, 1, cursor, 7);
            assertThat(page.getEntries().size()).isLessThanOrEqualTo(7);
            assertThat(page.getRingEpoch()).isEqualTo(epoch);
            for (VersionedEntry e : page.getEntries()) {
                seen.add(e.getKey());
                assertThat(e.getVersion()).isPositive();
            }
            if (page.isDone()) {
                break;
            }
            cursor = buf(page.getEntries().get(page.getEntries().size() - 1).getKey());
        }
        assertThat(seen).hasSize(24);
        assertThat(seen).isSortedAccordingTo(java.util.Arrays::compareUnsigned);
        assertThat(seen).noneMatch(k -> java.util.Arrays.equals(k, keys.get(3)));

        assertThatThrownBy(() -> client.kv.scan(epoch, 1, null, 10_001))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("10000").hasMessageContaining("max scan entries");
        assertThatThrownBy(() -> client.kv.scan(epoch, 1, null, 0)).isInstanceOf(InvalidRequest.class);
        assertThatThrownBy(() -> client.kv.scan(epoch, 8, null, 10))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("out of range 0..7");
        assertThatThrownBy(() -> client.kv.scan(epoch, 6, null, 10)).isInstanceOf(StaleRouting.class);
    }

    @Test
    void scanAndMultiGetAnswersStayWithinTheResponseBudget() throws Exception {
        // limits: 4 KiB values, 16 KiB responses
        List<ByteBuffer> keys = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] key = keyIn(ring, 2, i);
            keys.add(buf(key));
            client.kv.put(epoch, buf(key), ByteBuffer.wrap(new byte[4000]), WriteAck.ALL);
        }
        ScanResult page = client.kv.scan(epoch, 2, null, 100);
        assertThat(page.getEntries()).hasSizeBetween(1, 4);
        assertThat(page.isDone()).isFalse();
        assertThatThrownBy(() -> client.kv.multiGet(epoch, keys, ReadLevel.ONE))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("max response bytes");
        assertThat(client.kv.multiGet(epoch, keys.subList(0, 3), ReadLevel.ONE).getResults()).hasSize(3);
    }

    @Test
    void sizeLimitViolationsNameTheLimitAndTheConnectionKeepsWorking() throws Exception {
        byte[] key = keyIn(ring, 0, 0);
        assertThatThrownBy(() -> client.kv.put(epoch, ByteBuffer.wrap(new byte[65]), buf("v"), WriteAck.ALL))
                .isInstanceOfSatisfying(InvalidRequest.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ErrorCode.INVALID_REQUEST);
                    assertThat(e.getMessage()).contains("65 bytes").contains("64").contains("max key bytes");
                });
        assertThatThrownBy(() -> client.kv.put(epoch, buf(key), ByteBuffer.wrap(new byte[4097]), WriteAck.ALL))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("4096").hasMessageContaining("max value bytes");
        assertThatThrownBy(() -> client.kv.put(epoch, ByteBuffer.allocate(0), buf("v"), WriteAck.ALL))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("empty").hasMessageContaining("max key bytes");
        assertThatThrownBy(() -> client.kv.get(epoch, ByteBuffer.allocate(0), ReadLevel.ONE))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> client.kv.get(epoch, null, ReadLevel.ONE))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("missing");
        assertThatThrownBy(() -> client.kv.compareAndSet(epoch, buf(key), ByteBuffer.wrap(new byte[5000]), 0, ""))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("max value bytes");
        assertThatThrownBy(() -> client.kv.multiGet(epoch, List.of(buf(key), ByteBuffer.wrap(new byte[100])), ReadLevel.ONE))
                .isInstanceOf(InvalidRequest.class).hasMessageContaining("max key bytes");
        // keys and values exactly at the limits are fine, on the same connection
        byte[] maxKey = maxSizeKeyIn(ring, 1, 64);
        assertThat(client.kv.put(epoch, ByteBuffer.wrap(maxKey), ByteBuffer.wrap(new byte[4096]), WriteAck.ALL).getVersion()).isEqualTo(1);
        assertThat(client.kv.put(epoch, buf(key), ByteBuffer.wrap(new byte[4096]), WriteAck.ALL).getVersion()).isEqualTo(1);
        assertThat(node.storage.partition(0).lastLsn()).as("no invalid request was applied").isEqualTo(1);
    }

    private static byte[] maxSizeKeyIn(Ring ring, int partition, int size) {
        for (int i = 0; i < 100_000; i++) {
            byte[] key = new byte[size];
            java.nio.ByteBuffer.wrap(key).putInt(i);
            if (ring.partitionOf(key) == partition) {
                return key;
            }
        }
        throw new IllegalStateException("no key for partition " + partition);
    }

    @Test
    void staleEpochGetsStaleRoutingWithTheRing() throws Exception {
        Ring moved = TestRings.moved(ring);
        node.view.install(moved);
        byte[] key = keyIn(ring, 0, 0);
        // partition 0 changed at epoch 2; a client at epoch 1 is stale for it
        assertThatThrownBy(() -> client.kv.put(epoch, buf(key), buf("v"), WriteAck.ALL))
                .isInstanceOfSatisfying(StaleRouting.class, e -> {
                    assertThat(e.getCode()).isEqualTo(ErrorCode.STALE_ROUTING);
                    assertThat(e.getCurrentEpoch()).isEqualTo(2);
                    assertThat(e.isSetRing()).isTrue();
                    assertThat(RingCodec.fromThrift(e.getRing())).isEqualTo(moved);
                    assertThat(e.getMessage()).contains("older than partition 0");
                });
        assertThatThrownBy(() -> client.kv.get(epoch, buf(key), ReadLevel.ONE)).isInstanceOf(StaleRouting.class);
        // partition 1 did not change: epoch 1 is still good there, and the answer tells the new epoch
        PutResult other = client.kv.put(epoch, buf(keyIn(ring, 1, 0)), buf("v"), WriteAck.ALL);
        assertThat(other.getRingEpoch()).isEqualTo(2);
        // partition 0's chain is now [n1, n2] and n2 does not run here: only ONE can be acknowledged
        assertThat(client.kv.put(2, buf(key), buf("v"), WriteAck.ONE).getRingEpoch()).isEqualTo(2);
    }

    @Test
    void writesOnlyAtTheHeadReadsAtAnyChainMember() throws Exception {
        byte[] tailKey = keyIn(ring, 4, 0); // chain [n2, n1]
        assertThatThrownBy(() -> client.kv.put(epoch, buf(tailKey), buf("v"), WriteAck.ALL))
                .isInstanceOfSatisfying(StaleRouting.class, e -> {
                    assertThat(e.getMessage()).contains("not the head of partition 4").contains("n2");
                    assertThat(e.getCurrentEpoch()).isEqualTo(epoch);
                    assertThat(RingCodec.fromThrift(e.getRing())).isEqualTo(ring);
                });
        assertThatThrownBy(() -> client.kv.remove(epoch, buf(tailKey), WriteAck.ALL)).isInstanceOf(StaleRouting.class);
        assertThatThrownBy(() -> client.kv.compareAndSet(epoch, buf(tailKey), buf("v"), 0, "")).isInstanceOf(StaleRouting.class);
        assertThat(client.kv.get(epoch, buf(tailKey), ReadLevel.LINEARIZABLE).isFound()).isFalse();

        byte[] foreignKey = keyIn(ring, 6, 0); // chain [n2]
        assertThatThrownBy(() -> client.kv.get(epoch, buf(foreignKey), ReadLevel.ONE))
                .isInstanceOfSatisfying(StaleRouting.class, e -> assertThat(e.getMessage()).contains("not in the chain of partition 6"));
        assertThatThrownBy(() -> client.kv.put(epoch, buf(foreignKey), buf("v"), WriteAck.ALL)).isInstanceOf(StaleRouting.class);
    }

    @Test
    void aClientAheadOfTheNodeMakesItRefreshFirst() throws Exception {
        Ring moved = TestRings.moved(ring);
        node.view.publishOnly(moved);
        byte[] key = keyIn(ring, 1, 0);
        PutResult put = client.kv.put(moved.epoch(), buf(key), buf("v"), WriteAck.ALL);
        assertThat(put.getRingEpoch()).as("the node re-read its ring before answering").isEqualTo(moved.epoch());
        assertThat(node.view.refreshes()).isEqualTo(1);
        // a client claiming an epoch nobody has published cannot be judged: not serving, retry
        assertThatThrownBy(() -> client.kv.get(moved.epoch() + 5, buf(key), ReadLevel.ONE))
                .isInstanceOfSatisfying(NotServing.class, e -> assertThat(e.getMessage()).contains("older than the client's"));
    }

    @Test
    void aCallWaitingForItsRingDoesNotStallTheEventLoop() throws Exception {
        // reads and writes start on the event loop; one that must wait for a newer ring (here, a
        // ZooKeeper read held by the test) moves to the waits pool, so other calls still answer
        Ring moved = TestRings.moved(ring);
        node.view.publishOnly(moved);
        CountDownLatch zooKeeper = node.view.holdRefreshes();
        byte[] key = keyIn(ring, 1, 0);
        CompletableFuture<PutResult> ahead = CompletableFuture.supplyAsync(() -> {
            try (ThriftTestClient other = node.client()) {
                return other.kv.put(moved.epoch(), buf(key), buf("ahead"), WriteAck.ALL);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try {
            Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> node.view.refreshes() == 1);
            byte[] other = keyIn(ring, 2, 0);
            assertThat(client.kv.put(ring.epoch(), buf(other), buf("v"), WriteAck.ALL).getVersion()).isPositive();
            assertThat(client.kv.get(ring.epoch(), buf(other), ReadLevel.LINEARIZABLE).isFound()).isTrue();
            assertThat(ahead).as("still waiting for its ring").isNotDone();
        } finally {
            zooKeeper.countDown();
        }
        assertThat(ahead.get(10, TimeUnit.SECONDS).getRingEpoch()).isEqualTo(moved.epoch());
    }

    @Test
    void notServingNodeRefusesEverything() throws Exception {
        byte[] key = keyIn(ring, 0, 0);
        node.view.serving(false);
        assertThatThrownBy(() -> client.kv.get(epoch, buf(key), ReadLevel.ONE))
                .isInstanceOfSatisfying(NotServing.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.NOT_SERVING));
        assertThatThrownBy(() -> client.kv.put(epoch, buf(key), buf("v"), WriteAck.ALL)).isInstanceOf(NotServing.class);
        assertThatThrownBy(() -> client.kv.ring()).isInstanceOf(NotServing.class);
        assertThatThrownBy(() -> client.kv.scan(epoch, 0, null, 1)).isInstanceOf(NotServing.class);
        node.view.serving(true);
        assertThat(client.kv.put(epoch, buf(key), buf("v"), WriteAck.ALL).getVersion()).isEqualTo(1);
        assertThat(RingCodec.fromThrift(client.kv.ring())).isEqualTo(ring);
    }

    @Test
    void aPartitionWithoutReplicasIsUnavailable() throws Exception {
        List<io.chainring.ring.Chain> chains = new ArrayList<>(ring.chains());
        chains.set(3, io.chainring.ring.Chain.empty());
        Ring empty3 = ring.next(ring.nodes().values(), chains);
        node.view.install(empty3);
        assertThatThrownBy(() -> client.kv.get(empty3.epoch(), buf(keyIn(ring, 3, 0)), ReadLevel.ONE))
                .isInstanceOfSatisfying(Unavailable.class, e -> assertThat(e.getMessage()).contains("partition 3 has no replicas"));
    }

    static ByteBuffer buf(String s) {
        return ByteBuffer.wrap(b(s));
    }

    static ByteBuffer buf(byte[] bytes) {
        return ByteBuffer.wrap(bytes);
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }
}
