package io.chainring.it;

import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.client.KeyedResults;
import io.chainring.client.ReadLevel;
import io.chainring.client.Versioned;
import io.chainring.client.WriteAck;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many keys, checked by read-back rather than by the linearizability checker (which stays fast
 * only on a few keys). Loaded with multiPut; then, while the cluster changes, writer threads
 * overwrite keys of the writable half ({@code i % 4} is 0 or 1, each key owned by one writer, so
 * its writes are sequential) and reader threads read keys of the frozen half ({@code i % 4} is 2
 * or 3), which must always read exactly their loaded value. {@link #verify} reads every key back
 * at LINEARIZABLE: each must hold its last acknowledged value, or a value written after it whose
 * outcome was unknown.
 */
public final class BulkData implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BulkData.class);
    private static final int BATCH = 500;
    private static final int WRITERS = 2;

    private final int keys;
    private final ChainringClient client;
    private final String[] acked;
    /** Per key: values written after the last acknowledged one whose outcome is unknown. */
    private final List<Map<Integer, List<String>>> uncertain = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final List<String> wrongReads = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong writeErrors = new AtomicLong();
    private final AtomicLong reads = new AtomicLong();
    private final AtomicLong readErrors = new AtomicLong();
    private volatile boolean stopping;

    /** A client for LINEARIZABLE reads and ALL acks over the seeds, with {@code timeout} per call. */
    public BulkData(String seeds, int keys, Duration timeout) {
        this.keys = keys;
        this.acked = new String[keys];
        this.client = ChainringClient.builder().seeds(Objects.requireNonNull(seeds, "seeds"))
                .readLevel(ReadLevel.LINEARIZABLE).writeAck(WriteAck.ALL).timeout(timeout).build();
        for (int w = 0; w < WRITERS; w++) {
            uncertain.add(new HashMap<>());
        }
    }

    public static String key(int i) {
        return "bulk-" + i;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** About 100 bytes: large enough that moves copy something, small enough to load fast. */
    private static String value(String tag, int i) {
        String v = tag + "-" + i + "-";
        return v + "x".repeat(Math.max(0, 100 - v.length()));
    }

    /** Writes every key once (batches retried, bounded by {@code bound}); returns the time it took. */
    public Duration load(Duration bound) throws InterruptedException {
        long started = System.nanoTime();
        long deadline = started + bound.toNanos();
        for (int from = 0; from < keys; from += BATCH) {
            Map<byte[], byte[]> batch = new LinkedHashMap<>();
            for (int i = from; i < Math.min(keys, from + BATCH); i++) {
                batch.put(utf8(key(i)), utf8(value("load", i)));
            }
            while (true) {
                try {
                    client.putAll(batch);
                    break;
                } catch (ChainringException e) {
                    // the same values again: a repeated batch is harmless before anyone else writes
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("loading " + keys + " keys took longer than " + bound, e);
                    }
                    log.info("load batch at {} failed, retrying: {}", from, e.toString());
                    Thread.sleep(200);
                }
            }
            for (int i = from; i < Math.min(keys, from + BATCH); i++) {
                acked[i] = value("load", i);
            }
        }
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Starts the writers and readers. */
    public BulkData startTraffic(long seed) {
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            Random random = new Random(seed * 17 + w);
            threads.add(new Thread(() -> write(writer, random), "bulk-writer-" + w));
        }
        Random random = new Random(seed * 19);
        threads.add(new Thread(() -> read(random), "bulk-reader"));
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
        return this;
    }

    private void write(int writer, Random random) {
        try {
            for (int n = 0; !stopping; n++) {
                // writer w owns keys with i % 4 == w
                int i = random.nextInt(keys / 4) * 4 + writer;
                if (i >= keys) {
                    continue;
                }
                String v = value("w" + writer + "." + n, i);
                try {
                    client.put(utf8(key(i)), utf8(v));
                    acked[i] = v;
                    uncertain.get(writer).remove(i);
                    writes.incrementAndGet();
                } catch (ChainringException e) {
                    writeErrors.incrementAndGet();
                    if (e.mayHaveBeenApplied()) {
                        uncertain.get(writer).computeIfAbsent(i, k -> new ArrayList<>()).add(v);
                    }
                    log.debug("bulk write of {} failed: {}", key(i), e.toString());
                    Thread.sleep(20);
                }
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            failure.compareAndSet(null, e);
        }
    }

    private void read(Random random) {
        try {
            while (!stopping) {
                int i = random.nextInt(keys / 4) * 4 + 2 + random.nextInt(2);
                if (i >= keys) {
                    continue;
                }
                try {
                    String got = client.get(utf8(key(i))).map(Versioned::valueAsString).orElse(null);
                    reads.incrementAndGet();
                    if (!value("load", i).equals(got)) {
                        wrongReads.add(key(i) + " read '" + got + "'");
                    }
                } catch (ChainringException e) {
                    readErrors.incrementAndGet();
                    log.debug("bulk read of {} failed: {}", key(i), e.toString());
                    Thread.sleep(20);
                }
            }
        } catch (RuntimeException | Error | InterruptedException e) {
            failure.compareAndSet(null, e);
        }
    }

    /** Stops the traffic (bounded: each call has its timeout). */
    public void stop() throws InterruptedException {
        stopping = true;
        for (Thread t : threads) {
            t.join(60_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within 60 s");
            }
        }
    }

    public java.util.Optional<Throwable> failure() {
        return java.util.Optional.ofNullable(failure.get());
    }

    /** Reads during the traffic that returned something else than the frozen key's value. */
    public List<String> wrongReads() {
        return List.copyOf(wrongReads);
    }

    public String stats() {
        return writes.get() + " writes acked (" + writeErrors.get() + " failed), " + reads.get() + " reads ("
                + readErrors.get() + " failed), " + uncertain.stream().mapToInt(Map::size).sum() + " keys with an unknown write";
    }

    /**
     * Reads every key back at LINEARIZABLE (multiGet in batches, each retried within the bound);
     * returns the keys whose value is not the last acknowledged one (nor a later unknown one).
     */
    public List<String> verify(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        List<String> wrong = new ArrayList<>();
        for (int from = 0; from < keys; from += BATCH) {
            List<byte[]> batch = new ArrayList<>();
            for (int i = from; i < Math.min(keys, from + BATCH); i++) {
                batch.add(utf8(key(i)));
            }
            KeyedResults<Versioned> got;
            while (true) {
                try {
                    got = client.getAll(batch);
                    break;
                } catch (ChainringException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("reading " + keys + " keys back took longer than " + bound, e);
                    }
                    Thread.sleep(200);
                }
            }
            for (int j = 0; j < batch.size(); j++) {
                int i = from + j;
                String value = got.get(batch.get(j)).map(Versioned::valueAsString).orElse(null);
                List<String> unknown = i % 4 < WRITERS ? uncertain.get(i % 4).getOrDefault(i, List.of()) : List.of();
                if (!Objects.equals(acked[i], value) && !unknown.contains(value)) {
                    wrong.add(key(i) + ": read '" + value + "', last acknowledged '" + acked[i] + "'"
                            + (unknown.isEmpty() ? "" : ", unknown " + unknown));
                }
            }
        }
        return wrong;
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            client.close();
        }
    }
}
