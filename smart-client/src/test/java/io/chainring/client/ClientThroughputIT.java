package io.chainring.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.embedded.EmbeddedCluster;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A throughput harness, not a test: runs only with {@code -Dchainring.bench=true}. Against an
 * embedded 3-node cluster (R=3, LINEARIZABLE reads, ALL acks) it measures (1) async gets and puts
 * with 256 calls in flight from 2 caller threads, (2) sync gets from 1 thread (latency), and
 * (3) sync gets from 16 threads. Uses only the public API, so the same file measures any version
 * of the client. Results go to stdout, for docs/PERFORMANCE.md.
 *
 * <pre>./mvnw -o -B -pl smart-client verify -Dit.test=ClientThroughputIT -Dchainring.bench=true \
 *     -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false</pre>
 */
@EnabledIfSystemProperty(named = "chainring.bench", matches = "true")
@Tag("cluster")
class ClientThroughputIT {
    private static final int KEYS = 1000;
    private static final Duration WARMUP = Duration.ofSeconds(2);
    /** Seconds per measurement: {@code -Dchainring.bench.seconds=N} (default 10). */
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("chainring.bench.seconds", 10));

    @Test
    void measure() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.builder().nodes(3).partitions(16).replication(3).build().start();
             ChainringClient c = ChainringClient.builder().seeds(cluster.seeds()).timeout(Duration.ofSeconds(10)).build()) {
            for (int i = 0; i < KEYS; i++) {
                c.put(key(i), new byte[100]);
            }
            List<String> lines = new ArrayList<>();
            lines.add(async("async get, 256 in flight from 2 threads", c, (cl, k) -> cl.getAsync(k)));
            lines.add(async("async put, 256 in flight from 2 threads", c, (cl, k) -> cl.putAsync(k, new byte[100])));
            lines.add(sync("sync get, 1 thread", c, 1));
            lines.add(sync("sync get, 16 threads", c, 16));
            lines.addAll(interleaved(c));
            lines.forEach(System.out::println);
        }
    }

    private static byte[] key(int i) {
        return ("bench-" + i).getBytes(StandardCharsets.UTF_8);
    }

    private static String async(String what, ChainringClient c, BiFunction<ChainringClient, byte[], CompletableFuture<?>> op)
            throws Exception {
        runAsync(c, op, WARMUP);
        long[] r = runAsync(c, op, RUN);
        return String.format(Locale.ROOT, "%-42s %9.0f ops/s  (%d errors)", what, r[0] / (RUN.toNanos() / 1e9), r[1]);
    }

    /** 2 threads, each keeping 128 calls in flight; returns {ok, errors}. */
    private static long[] runAsync(ChainringClient c, BiFunction<ChainringClient, byte[], CompletableFuture<?>> op, Duration d)
            throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + d.toNanos();
        List<Thread> callers = new ArrayList<>();
        List<Semaphore> permits = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Semaphore inFlight = new Semaphore(128);
            permits.add(inFlight);
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                    op.apply(c, key(ThreadLocalRandom.current().nextInt(KEYS))).whenComplete((v, e) -> {
                        if (System.nanoTime() < end) {
                            (e == null ? ok : errors).incrementAndGet();
                        }
                        inFlight.release();
                    });
                }
            }, "bench-caller-" + t);
            callers.add(caller);
            caller.start();
        }
        for (Thread t : callers) {
            t.join();
        }
        for (Semaphore s : permits) {
            assertThat(s.tryAcquire(128, 30, TimeUnit.SECONDS)).as("every call completed").isTrue();
        }
        return new long[] {ok.get(), errors.get()};
    }

    private static String sync(String what, ChainringClient c, int threads) throws Exception {
        runSync(c, threads, WARMUP);
        long[] r = runSync(c, threads, RUN);
        double perSec = r[0] / (RUN.toNanos() / 1e9);
        return String.format(Locale.ROOT, "%-42s %9.0f ops/s  mean %6.0f us  (%d errors)", what, perSec,
                r[0] == 0 ? 0.0 : r[2] / 1e3 / r[0], r[1]);
    }

    /**
     * One thread, alternating 1 s slices of {@code get} and {@code getAsync(...).join()}, so that
     * both see the same machine load: what a waiting thread pays for the async path.
     */
    private static List<String> interleaved(ChainringClient c) {
        long[] sync = new long[2];
        long[] joined = new long[2];
        long slices = RUN.toSeconds();
        for (long i = 0; i < slices; i++) {
            slice(c, false, sync);
            slice(c, true, joined);
        }
        return List.of(String.format(Locale.ROOT, "%-42s mean %6.0f us", "interleaved, 1 thread: get", sync[1] / 1e3 / sync[0]),
                String.format(Locale.ROOT, "%-42s mean %6.0f us", "interleaved, 1 thread: getAsync().join()", joined[1] / 1e3 / joined[0]));
    }

    private static void slice(ChainringClient c, boolean async, long[] totals) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() < end) {
            byte[] k = key(ThreadLocalRandom.current().nextInt(KEYS));
            long start = System.nanoTime();
            if (async) {
                c.getAsync(k).join();
            } else {
                c.get(k);
            }
            totals[0]++;
            totals[1] += System.nanoTime() - start;
        }
    }

    /** Returns {ok, errors, total nanos of the ok calls}. */
    private static long[] runSync(ChainringClient c, int threads, Duration d) throws Exception {
        AtomicLong ok = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicLong nanos = new AtomicLong();
        long end = System.nanoTime() + d.toNanos();
        List<Thread> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread caller = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                        c.get(key(ThreadLocalRandom.current().nextInt(KEYS)));
                        ok.incrementAndGet();
                        nanos.addAndGet(System.nanoTime() - start);
                    } catch (ChainringException e) {
                        errors.incrementAndGet();
                    }
                }
            }, "bench-sync-" + t);
            callers.add(caller);
            caller.start();
        }
        for (Thread t : callers) {
            t.join();
        }
        return new long[] {ok.get(), errors.get(), nanos.get()};
    }
}
