package io.chainring.cli.evaluate;

import io.chainring.cli.evaluate.history.History;
import io.chainring.cli.evaluate.history.HistoryRecorder;
import io.chainring.cli.evaluate.history.RecordingClient;
import io.chainring.client.ChainringClient;
import io.chainring.client.ChainringException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hot-key workload: for each setting a group of writer and reader threads over its own few
 * keys, picked zipfian (a few keys take most operations, so writers and readers meet on them and
 * stale reads can happen at all). Closed loop, every operation recorded in the group's history;
 * all groups run at once, under the same network condition.
 */
final class Workload {
    private static final Logger log = LoggerFactory.getLogger(Workload.class);
    /** Zipf exponent: with 8 keys the hottest takes about 35% of the operations. */
    static final double ZIPF_EXPONENT = 1.1;
    private static final int HISTORY_CAPACITY = 4_000_000;

    /** One setting's keys, client and history. */
    record Group(Setting setting, List<String> keys, ChainringClient client, HistoryRecorder recorder) {
        Group {
            Objects.requireNonNull(setting, "setting");
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("a group needs keys");
            }
        }

        Group(Setting setting, List<String> keys, ChainringClient client) {
            this(setting, keys, client, new HistoryRecorder(HISTORY_CAPACITY));
        }
    }

    /** Threads per group and for how long. */
    record Shape(int writers, int readers, Duration duration) {
    }

    private Workload() {
    }

    /** Runs every group at once for the shape's duration; returns each group's history (same order). */
    static List<History> run(List<Group> groups, Shape shape, long seed) throws InterruptedException {
        long deadline = System.nanoTime() + shape.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int g = 0; g < groups.size(); g++) {
            Group group = groups.get(g);
            Zipf zipf = new Zipf(group.keys().size(), ZIPF_EXPONENT);
            for (int t = 0; t < shape.writers() + shape.readers(); t++) {
                boolean writer = t < shape.writers();
                String name = "g" + g + (writer ? "-w" : "-r") + t;
                SplittableRandom random = seeds.split();
                Thread th = new Thread(() -> loop(group, zipf, writer, name, random, deadline), "eval-" + name);
                th.setDaemon(true);
                threads.add(th);
            }
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            // every call is bounded by the client's deadline, so the threads end soon after ours
            t.join(shape.duration().toMillis() + 60_000);
            if (t.isAlive()) {
                log.warn("workload thread {} still running 60 s after the end; its open operation counts as unknown", t.getName());
            }
        }
        List<History> out = new ArrayList<>();
        for (Group g : groups) {
            out.add(g.recorder().snapshot());
        }
        return out;
    }

    private static void loop(Group group, Zipf zipf, boolean writer, String name, SplittableRandom random, long deadline) {
        RecordingClient client = new RecordingClient(group.client(), group.recorder());
        long seq = 0;
        while (System.nanoTime() < deadline && !Thread.currentThread().isInterrupted()) {
            String key = group.keys().get(zipf.sample(random));
            try {
                if (writer) {
                    client.put(key, name + "-" + seq++);
                } else {
                    client.get(key);
                }
            } catch (ChainringException e) {
                // recorded as FAIL or INFO; a short pause so a dead cluster is not hammered in a spin
                pause(20);
            } catch (IllegalStateException e) {
                log.warn("workload {} stops: {}", name, e.getMessage());
                return;
            }
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Zipfian choice of 0..n-1 (0 hottest) by inverting the cumulative distribution. */
    static final class Zipf {
        private final double[] cdf;

        Zipf(int n, double exponent) {
            cdf = new double[n];
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += 1 / Math.pow(i + 1, exponent);
                cdf[i] = sum;
            }
            for (int i = 0; i < n; i++) {
                cdf[i] /= sum;
            }
        }

        int sample(SplittableRandom random) {
            double u = random.nextDouble();
            int lo = 0;
            int hi = cdf.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] < u) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
            return lo;
        }
    }
}
