package io.chainring.datanode.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PartitionStoreTest {
    @TempDir
    Path dir;
    StorageEngine engine;

    @BeforeEach
    void open() {
        engine = StorageEngine.open(StorageConfig.defaults(dir));
    }

    @AfterEach
    void close() {
        engine.close();
    }

    @Test
    void versionsGrowPerPartition() {
        PartitionStore p1 = engine.partition(1);
        PartitionStore p2 = engine.partition(2);
        assertThat(p1.put(b("a"), b("1"))).isEqualTo(1);
        assertThat(p1.put(b("b"), b("2"))).isEqualTo(2);
        assertThat(p1.put(b("a"), b("3"))).isEqualTo(3);
        assertThat(p2.put(b("a"), b("x"))).isEqualTo(1);
        assertThat(p1.get(b("a")).orElseThrow().version()).isEqualTo(3);
        assertThat(p1.get(b("a")).orElseThrow().value()).isEqualTo(b("3"));
        assertThat(p1.lastLsn()).isEqualTo(3);
        assertThat(p1.appliedLsn()).isEqualTo(3);
        assertThat(p2.lastLsn()).isEqualTo(1);
        assertThat(engine.partition(1)).isSameAs(p1);
    }

    @Test
    void deleteWritesTombstoneOnlyOverLiveValue() {
        PartitionStore p = engine.partition(0);
        assertThat(p.delete(b("k"))).isEqualTo(new RemoveOutcome(false, 0));
        assertThat(p.lastLsn()).as("deleting an absent key writes nothing").isZero();

        p.put(b("k"), b("v"));
        assertThat(p.keyCount()).isEqualTo(1);
        assertThat(p.delete(b("k"))).isEqualTo(new RemoveOutcome(true, 2));
        assertThat(p.get(b("k"))).isEmpty();
        assertThat(p.getRecord(b("k"))).contains(VersionedRecord.tombstone(2));
        assertThat(p.keyCount()).isZero();

        assertThat(p.delete(b("k"))).isEqualTo(new RemoveOutcome(false, 0));
        assertThat(p.lastLsn()).isEqualTo(2);

        assertThat(p.put(b("k"), b("again"))).isEqualTo(3);
        assertThat(p.get(b("k")).orElseThrow().value()).isEqualTo(b("again"));
        assertThat(p.keyCount()).isEqualTo(1);
    }

    @Test
    void compareAndSet() {
        PartitionStore p = engine.partition(0);
        assertThat(p.compareAndSet(b("k"), b("v1"), 7)).isEqualTo(new CasOutcome(false, 0));
        assertThat(p.compareAndSet(b("k"), b("v1"), 0)).isEqualTo(new CasOutcome(true, 1));
        assertThat(p.compareAndSet(b("k"), b("v2"), 0)).isEqualTo(new CasOutcome(false, 1));
        assertThat(p.compareAndSet(b("k"), b("v2"), 5)).isEqualTo(new CasOutcome(false, 1));
        assertThat(p.get(b("k")).orElseThrow().value()).isEqualTo(b("v1"));
        assertThat(p.compareAndSet(b("k"), b("v2"), 1)).isEqualTo(new CasOutcome(true, 2));
        assertThat(p.get(b("k")).orElseThrow().value()).isEqualTo(b("v2"));
        assertThat(p.lastLsn()).as("a failed CAS writes nothing").isEqualTo(2);

        p.delete(b("k"));
        assertThat(p.compareAndSet(b("k"), b("v3"), 2)).as("a tombstone is absent: actual version 0").isEqualTo(new CasOutcome(false, 0));
        assertThat(p.compareAndSet(b("k"), b("v3"), 0)).isEqualTo(new CasOutcome(true, 4));
        assertThat(p.keyCount()).isEqualTo(1);
    }

    @Test
    void scanIsInUnsignedKeyOrderAndPages() {
        PartitionStore p = engine.partition(0);
        byte[][] keys = {{(byte) 0xff}, {0x01}, {(byte) 0x80, 0}, {0x7f}, {0x01, 0x00}, {(byte) 0x80}};
        for (byte[] k : keys) {
            p.put(k, k);
        }
        p.put(b("gone"), b("x"));
        p.delete(b("gone"));

        RecordPage all = p.scan(new byte[0], 100, Long.MAX_VALUE);
        assertThat(all.done()).isTrue();
        assertThat(all.records()).extracting(KeyedRecord::key)
                .containsExactly(new byte[] {0x01}, new byte[] {0x01, 0x00}, new byte[] {0x7f},
                        new byte[] {(byte) 0x80}, new byte[] {(byte) 0x80, 0}, new byte[] {(byte) 0xff});

        RecordPage first = p.scan(new byte[0], 2, Long.MAX_VALUE);
        assertThat(first.records()).hasSize(2);
        assertThat(first.done()).isFalse();
        RecordPage second = p.scan(first.records().get(1).key(), 2, Long.MAX_VALUE);
        assertThat(second.records()).extracting(KeyedRecord::key).containsExactly(new byte[] {0x7f}, new byte[] {(byte) 0x80});
        RecordPage last = p.scan(new byte[] {(byte) 0x80}, 10, Long.MAX_VALUE);
        assertThat(last.records()).hasSize(2);
        assertThat(last.done()).isTrue();
        assertThat(p.scan(new byte[] {(byte) 0xff}, 10, Long.MAX_VALUE).records()).isEmpty();
        // startAfter need not be a stored key
        assertThat(p.scan(new byte[] {0x02}, 1, Long.MAX_VALUE).records().get(0).key()).isEqualTo(new byte[] {0x7f});
    }

    @Test
    void scanPagesStopAtTheByteBudgetButAlwaysProgress() {
        PartitionStore p = engine.partition(0);
        for (int i = 0; i < 10; i++) {
            p.put(b("k" + i), new byte[1000]);
        }
        RecordPage page = p.scan(new byte[0], 100, 2500);
        assertThat(page.records()).hasSize(2);
        assertThat(page.done()).isFalse();
        RecordPage tiny = p.scan(new byte[0], 100, 1);
        assertThat(tiny.records()).as("one entry even when it alone exceeds the budget").hasSize(1);
    }

    @Test
    void snapshotIncludesTombstonesAndAppliedLsn() {
        PartitionStore p = engine.partition(3);
        p.put(b("a"), b("1"));
        p.put(b("b"), b("2"));
        p.delete(b("a"));
        RecordPage snap = p.snapshot(new byte[0], Long.MAX_VALUE);
        assertThat(snap.done()).isTrue();
        assertThat(snap.appliedLsn()).isEqualTo(3);
        assertThat(snap.records()).hasSize(2);
        assertThat(snap.records().get(0).record()).isEqualTo(VersionedRecord.tombstone(3));
        assertThat(snap.records().get(1).record()).isEqualTo(VersionedRecord.live(2, b("2")));
    }

    @Test
    void reopenKeepsDataLsnsAndSeenEpoch() {
        PartitionStore p = engine.partition(7);
        p.put(b("a"), b("1"));
        p.put(b("b"), b("2"));
        p.delete(b("b"));
        engine.partition(9).put(b("z"), b("9"));
        assertThat(engine.recordSeenEpoch(12)).isTrue();
        assertThat(engine.recordSeenEpoch(5)).as("epochs never go back").isFalse();
        engine.close();

        engine = StorageEngine.open(StorageConfig.defaults(dir));
        assertThat(engine.storedPartitions()).containsExactly(7, 9);
        assertThat(engine.highestSeenEpoch()).isEqualTo(12);
        PartitionStore reopened = engine.partition(7);
        assertThat(reopened.lastLsn()).isEqualTo(3);
        assertThat(reopened.keyCount()).isEqualTo(1);
        assertThat(reopened.get(b("a")).orElseThrow().value()).isEqualTo(b("1"));
        assertThat(reopened.getRecord(b("b"))).contains(VersionedRecord.tombstone(3));
        assertThat(reopened.put(b("c"), b("3"))).as("LSNs continue after a restart").isEqualTo(4);
    }

    @Test
    void closedPartitionReopensWithItsData() {
        engine.partition(4).put(b("k"), b("v"));
        engine.closePartition(4);
        assertThat(engine.openedPartition(4)).isEmpty();
        assertThat(engine.partition(4).get(b("k")).orElseThrow().version()).isEqualTo(1);
    }

    @Test
    void concurrentWritersGetDistinctIncreasingVersions() throws Exception {
        PartitionStore p = engine.partition(0);
        int threads = 6;
        int perThread = 150;
        ConcurrentLinkedQueue<Long> all = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                results.add(pool.submit(() -> {
                    go.await();
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        // half the keys are shared between threads, half private
                        byte[] key = b(i % 2 == 0 ? "shared-" + (i % 10) : "t" + thread + "-" + i);
                        long v = p.put(key, b("v"));
                        mine.add(v);
                        all.add(v);
                    }
                    return mine;
                }));
            }
            go.countDown();
            for (Future<List<Long>> f : results) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isSorted().doesNotHaveDuplicates();
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(all).hasSize(threads * perThread).doesNotHaveDuplicates();
        assertThat(all).allMatch(v -> v >= 1 && v <= threads * perThread);
        assertThat(p.lastLsn()).isEqualTo(threads * perThread);
    }

    @Test
    void rejectsEmptyKeysAndBadArguments() {
        PartitionStore p = engine.partition(0);
        assertThatThrownBy(() -> p.put(new byte[0], b("v"))).hasMessageContaining("empty key");
        assertThatThrownBy(() -> p.compareAndSet(b("k"), b("v"), -1)).hasMessageContaining("negative");
        assertThatThrownBy(() -> p.scan(new byte[0], 0, 10)).hasMessageContaining("limit");
        assertThat(p.lastLsn()).isZero();
    }

    @Test
    void operationsOnAClosedEngineFailClearly() {
        PartitionStore p = engine.partition(0);
        p.put(b("k"), b("v"));
        engine.close();
        assertThatThrownBy(() -> p.get(b("k")))
                .isInstanceOf(StorageException.class)
                .satisfies(e -> assertThat(((StorageException) e).kind()).isEqualTo(StorageException.Kind.CLOSED));
        assertThatThrownBy(() -> engine.partition(1)).isInstanceOf(StorageException.class).hasMessageContaining("closed");
        engine = StorageEngine.open(StorageConfig.defaults(dir)); // for @AfterEach
        assertThat(engine.partition(0).get(b("k")).map(VersionedValue::version)).isEqualTo(Optional.of(1L));
    }

    @Test
    void sameDirectoryCannotBeOpenedTwice() {
        assertThatThrownBy(() -> StorageEngine.open(StorageConfig.defaults(dir)))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already open");
    }

    static byte[] b(String s) {
        return s.getBytes(UTF_8);
    }

    static String s(byte[] bytes) {
        return Arrays.toString(bytes);
    }
}
