package io.chainring.it.nemesis;

import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import io.chainring.client.ReadLevel;
import io.chainring.client.VersionMismatchException;
import io.chainring.client.Versioned;
import io.chainring.client.WriteAck;
import io.chainring.cli.evaluate.history.HistoryRecorder;
import io.chainring.cli.evaluate.history.RecordingClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Concurrent clients doing random reads, writes (unique values), compare-and-sets and deletes on a
 * few keys, every call recorded in a {@link HistoryRecorder}. Each worker is its own application:
 * its own {@link ChainringClient} (so its own view of the ring) and its own recording process.
 * Half of the acknowledged writes are followed at once by a read of the same key from the same
 * worker; reads rotate over the chain, so that read often lands on another replica than the head
 * that took the write: the read-your-writes probe that catches a stale replica.
 */
public final class Workload implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Workload.class);

    /**
     * How the clients are set up.
     *
     * @param keyPrefix keys are {@code <prefix>k0 .. k<keys-1>}
     * @param timeout   each call's deadline (retries included)
     */
    public record Settings(String seeds, ReadLevel readLevel, WriteAck writeAck, String keyPrefix, int keys, int workers,
            Duration timeout, long seed) {
        public Settings {
            Objects.requireNonNull(seeds, "seeds");
            Objects.requireNonNull(readLevel, "readLevel");
            Objects.requireNonNull(writeAck, "writeAck");
        }

        public String key(int i) {
            return keyPrefix + "k" + i;
        }
    }

    private final Settings settings;
    private final HistoryRecorder recorder;
    private final List<Thread> threads = new ArrayList<>();
    private final List<ChainringClient> clients = new ArrayList<>();
    private final AtomicLong ops = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile boolean stopping;

    public Workload(Settings settings, HistoryRecorder recorder) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.recorder = Objects.requireNonNull(recorder, "recorder");
    }

    /** Builds every worker's client (each fetches the ring), then starts the workers. */
    public Workload start() {
        for (int w = 0; w < settings.workers(); w++) {
            clients.add(client(settings.readLevel()));
        }
        for (int w = 0; w < settings.workers(); w++) {
            int worker = w;
            RecordingClient c = new RecordingClient(clients.get(w), recorder);
            Random random = new Random(settings.seed() * 31 + w);
            Thread t = new Thread(() -> work(worker, c, random), "worker-" + w);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        return this;
    }

    /** A client with the workload's settings and the given read level. */
    public ChainringClient client(ReadLevel readLevel) {
        return ChainringClient.builder().seeds(settings.seeds()).readLevel(readLevel).writeAck(settings.writeAck())
                .timeout(settings.timeout()).build();
    }

    public long operations() {
        return ops.get();
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure.get());
    }

    /** Lets every worker finish its current call (bounded by the call timeout) and stop. */
    public void stop() throws InterruptedException {
        stopping = true;
        long deadline = System.nanoTime() + settings.timeout().multipliedBy(2).plusSeconds(10).toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop within its call timeout");
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            stop();
        } finally {
            for (ChainringClient c : clients) {
                c.close();
            }
        }
    }

    private void work(int worker, RecordingClient c, Random random) {
        Map<String, Long> seen = new HashMap<>();
        int n = 0;
        try {
            while (!stopping) {
                String key = settings.key(random.nextInt(settings.keys()));
                String value = settings.keyPrefix() + "w" + worker + "-" + n++;
                int dice = random.nextInt(100);
                try {
                    if (dice < 45) {
                        seen.put(key, c.get(key).map(Versioned::version).orElse(0L));
                    } else if (dice < 70) {
                        seen.put(key, c.put(key, value));
                        ops.incrementAndGet();
                        if (random.nextBoolean()) {
                            seen.put(key, c.get(key).map(Versioned::version).orElse(0L));
                        }
                    } else if (dice < 88) {
                        long expected = random.nextInt(4) == 0 ? 0 : seen.getOrDefault(key, 0L);
                        seen.put(key, c.compareAndSet(key, value, expected));
                    } else {
                        c.delete(key);
                        seen.put(key, 0L);
                    }
                } catch (VersionMismatchException e) {
                    seen.put(key, e.actualVersion());
                } catch (ChainringException e) {
                    // recorded (FAIL or INFO) by the recording client: the history is what counts
                    log.debug("worker {}: {}", worker, e.toString());
                }
                ops.incrementAndGet();
            }
        } catch (RuntimeException | Error e) {
            // not a store error (e.g. the history is full): the run is void
            failure.compareAndSet(null, e);
            log.error("worker {} failed: {}", worker, e.toString(), e);
        }
    }
}
