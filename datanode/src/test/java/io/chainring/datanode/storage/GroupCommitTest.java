package io.chainring.datanode.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Concurrent head writes of one partition share transactions but keep every single-write guarantee. */
class GroupCommitTest {
    @TempDir
    Path dir;
    private StorageEngine engine;
    private ExecutorService pool;

    @BeforeEach
    void open() {
        engine = StorageEngine.open(StorageConfig.defaults(dir));
        pool = Executors.newFixedThreadPool(16);
    }

    @AfterEach
    void close() throws InterruptedException {
        pool.shutdownNow();
        pool.awaitTermination(10, TimeUnit.SECONDS);
        engine.close();
    }

    /** Records what a chain replica would see, checking LSN order under the lock. */
    static final class Recorder implements WriteObserver {
        final List<Long> prepared = Collections.synchronizedList(new ArrayList<>());
        final List<Long> committed = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void prepared(ChainWrite write) {
            prepared.add(write.lsn());
        }

        @Override
        public void committed(ChainWrite write) {
            committed.add(write.lsn());
        }
    }

    @Test
    void concurrentWritesGetDistinctConsecutiveVersionsObservedInOrder() throws Exception {
        PartitionStore p = engine.partition(3);
        Recorder observer = new Recorder();
        int threads = 16;
        int each = 200;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Long>>> results = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            results.add(pool.submit(() -> {
                go.await();
                List<Long> versions = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    byte[] key = ("k" + (i % 20)).getBytes(StandardCharsets.UTF_8); // hot keys shared by all threads
                    versions.add(p.put(key, ("t" + thread + "-" + i).getBytes(StandardCharsets.UTF_8), observer));
                }
                return versions;
            }));
        }
        go.countDown();
        Set<Long> all = new HashSet<>();
        for (Future<List<Long>> f : results) {
            List<Long> mine = f.get(60, TimeUnit.SECONDS);
            assertThat(mine).as("one thread's writes are ordered").isSorted();
            all.addAll(mine);
        }
        int n = threads * each;
        assertThat(all).hasSize(n);
        assertThat(Collections.min(all)).isEqualTo(1);
        assertThat(Collections.max(all)).isEqualTo(n);
        assertThat(p.lastLsn()).isEqualTo(n);
        assertThat(observer.committed).as("committed in LSN order").hasSize(n).isSorted();
        assertThat(observer.prepared).hasSize(n).isSorted();
        assertThat(p.keyCount()).isEqualTo(20);
        // every key holds the value of its highest version
        for (int k = 0; k < 20; k++) {
            assertThat(p.get(("k" + k).getBytes(StandardCharsets.UTF_8)).orElseThrow().version()).isGreaterThan(n - 400L);
        }
    }

    @Test
    void casInAGroupSeesTheWritesBeforeItAndARetriedIdAnswersTheFirstVersion() throws Exception {
        PartitionStore p = engine.partition(0);
        byte[] key = "counter".getBytes(StandardCharsets.UTF_8);
        int threads = 8;
        int each = 50;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> wins = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            wins.add(pool.submit(() -> {
                go.await();
                int won = 0;
                for (int i = 0; i < each; i++) {
                    long current = p.get(key).map(VersionedValue::version).orElse(0L);
                    CasOutcome o = p.compareAndSet(key, ("v" + thread).getBytes(StandardCharsets.UTF_8), current, "id-" + thread + "-" + i);
                    if (o.applied()) {
                        won++;
                        // the same request id again: answered with the first attempt's version, nothing written
                        CasOutcome again = p.compareAndSet(key, new byte[]{1}, 12345, "id-" + thread + "-" + i);
                        assertThat(again.applied()).isTrue();
                        assertThat(again.version()).isEqualTo(o.version());
                    }
                }
                return won;
            }));
        }
        go.countDown();
        int total = 0;
        for (Future<Integer> f : wins) {
            total += f.get(60, TimeUnit.SECONDS);
        }
        // every successful CAS advanced the key by exactly one write: no lost update
        assertThat(p.lastLsn()).isEqualTo(total);
        assertThat(p.get(key).orElseThrow().version()).isEqualTo(total);
    }

    @Test
    void putAllWritesConsecutiveVersionsInTheOrderGivenBesideConcurrentWriters() throws Exception {
        PartitionStore p = engine.partition(5);
        Recorder observer = new Recorder();
        Future<?> other = pool.submit(() -> {
            for (int i = 0; i < 300; i++) {
                p.put(("single" + i).getBytes(StandardCharsets.UTF_8), new byte[]{1}, observer);
            }
        });
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            keys.add(("bulk" + i).getBytes(StandardCharsets.UTF_8));
            values.add(("v" + i).getBytes(StandardCharsets.UTF_8));
        }
        List<Long> versions = p.putAll(keys, values, observer);
        other.get(60, TimeUnit.SECONDS);
        assertThat(versions).hasSize(600).isSorted().doesNotHaveDuplicates();
        for (int i = 0; i < 600; i++) {
            assertThat(p.get(keys.get(i)).orElseThrow().version()).isEqualTo(versions.get(i));
        }
        assertThat(p.lastLsn()).isEqualTo(900);
        assertThat(observer.committed).hasSize(900).isSorted();
    }

    @Test
    void aMultiPartitionPutCommitsOnceAndOverlappingCallsWithSingleWritersNeitherDeadlockNorReorder() throws Exception {
        List<PartitionStore> stores = List.of(engine.partition(1), engine.partition(2), engine.partition(4));
        Recorder[] observers = {new Recorder(), new Recorder(), new Recorder()};
        long before = engine.countedCommits();
        List<List<Long>> first = PartitionStore.putAll(List.of(
                new PartitionStore.HeadPuts(stores.get(2), List.of(b("c1"), b("c2")), List.of(b("1"), b("2")), observers[2]),
                new PartitionStore.HeadPuts(stores.get(0), List.of(b("a1")), List.of(b("1")), observers[0])));
        assertThat(first).containsExactly(List.of(1L, 2L), List.of(1L));
        assertThat(engine.countedCommits() - before).as("one transaction for the call").isEqualTo(1);

        // callers naming the partitions in opposite orders, and single writers, all at once
        int rounds = 100;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> all = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            boolean reversed = t % 2 == 1;
            all.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < rounds; i++) {
                    List<PartitionStore.HeadPuts> parts = new ArrayList<>();
                    for (int s = 0; s < 3; s++) {
                        int at = reversed ? 2 - s : s;
                        parts.add(new PartitionStore.HeadPuts(stores.get(at), List.of(b("k" + i), b("j" + i)),
                                List.of(b("v"), b("w")), observers[at]));
                    }
                    for (List<Long> versions : PartitionStore.putAll(parts)) {
                        assertThat(versions.get(1)).isEqualTo(versions.get(0) + 1);
                    }
                }
                return null;
            }));
            int single = t;
            all.add(pool.submit(() -> {
                go.await();
                for (int i = 0; i < rounds; i++) {
                    stores.get(single % 3).put(b("s" + i), b("x"), observers[single % 3]);
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : all) {
            f.get(60, TimeUnit.SECONDS);
        }
        for (int s = 0; s < 3; s++) {
            PartitionStore p = stores.get(s);
            assertThat(observers[s].committed).as("partition %d committed in LSN order", p.id()).isSorted()
                    .hasSize((int) p.lastLsn());
            assertThat(observers[s].committed.get(observers[s].committed.size() - 1)).isEqualTo(p.lastLsn());
        }
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
