package io.chainring.cli.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The measured phase: worker threads make reads and updates against a target as fast as it
 * answers (closed loop), until the operation budget is spent or the duration has passed, while
 * this thread prints a progress line every interval.
 */
public final class BenchRunner {
    /**
     * What to run.
     *
     * @param ops        operations in total, or 0 to run for {@code duration}
     * @param duration   how long to run when {@code ops} is 0
     * @param threads    worker threads
     * @param readRatio  share of reads, 0..1
     * @param keys       which record each operation touches
     * @param valueSize  bytes per written value
     * @param seed       seeds the workers' random sources
     * @param progressEvery how often to print a progress line
     */
    public record Plan(long ops, Duration duration, int threads, double readRatio, KeyChooser keys, int valueSize, long seed,
                       Duration progressEvery) {
    }

    private BenchRunner() {
    }

    public static BenchSummary run(BenchTarget target, Plan plan, PrintWriter progress) throws Exception {
        LatencyRecorder recorder = new LatencyRecorder();
        AtomicLong budget = new AtomicLong(plan.ops());
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(plan.threads());
        SplittableRandom seeds = new SplittableRandom(plan.seed());
        List<Thread> workers = new ArrayList<>();
        long[] endNanos = new long[1];
        List<BenchTarget.Session> sessions = openSessions(target, plan.threads()); // connections open before the clock starts
        for (int t = 0; t < plan.threads(); t++) {
            BenchTarget.Session session = sessions.get(t);
            SplittableRandom random = seeds.split();
            Thread w = new Thread(() -> {
                try (session) {
                    go.await();
                    work(session, plan, random, budget, endNanos[0], recorder);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (Exception e) {
                    recorder.failed(e);
                } finally {
                    finished.countDown();
                }
            }, "bench-" + t);
            w.setDaemon(true);
            workers.add(w);
        }
        workers.forEach(Thread::start);
        long start = System.nanoTime();
        endNanos[0] = plan.ops() > 0 ? Long.MAX_VALUE : start + plan.duration().toNanos();
        go.countDown();

        long every = plan.progressEvery().toNanos();
        long nextTick = start + every;
        long lastTick = start;
        long total = 0;
        while (!finished.await(Math.max(1, nextTick - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            long now = System.nanoTime();
            if (now >= nextTick) {
                Map<OpKind, Histogram> interval = recorder.drain();
                long n = interval.values().stream().mapToLong(Histogram::getTotalCount).sum();
                total += n;
                progress.println(progressLine((now - start) / 1e9, total, n / ((now - lastTick) / 1e9), interval, recorder.errors()));
                progress.flush();
                lastTick = now;
                nextTick = now + every;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        recorder.drain();
        if (recorder.firstError() != null) {
            progress.println("bench: " + recorder.errors() + " operation(s) failed; the first: " + recorder.firstError());
            progress.flush();
        }
        return BenchSummary.of(recorder, seconds, plan.threads());
    }

    /** One session per worker; if one cannot be opened, the others are closed and the failure thrown. */
    static List<BenchTarget.Session> openSessions(BenchTarget target, int count) throws Exception {
        List<BenchTarget.Session> sessions = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                sessions.add(target.session());
            }
            return sessions;
        } catch (Exception e) {
            for (BenchTarget.Session s : sessions) {
                try {
                    s.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    private static void work(BenchTarget.Session session, Plan plan, SplittableRandom random, AtomicLong budget, long end,
                             LatencyRecorder recorder) {
        byte[] value = new byte[plan.valueSize()];
        random.nextBytes(value);
        boolean byCount = plan.ops() > 0;
        while (true) {
            if (byCount ? budget.getAndDecrement() <= 0 : System.nanoTime() >= end) {
                return;
            }
            operate(session, plan.keys(), plan.readRatio(), random, value, recorder);
        }
    }

    /**
     * One operation: a read or an update of a chosen record, timed into {@code recorder} (also
     * the load of {@code chainring bench rebalance}).
     *
     * @param value the worker's value buffer; its first byte changes with every update
     */
    static void operate(BenchTarget.Session session, KeyChooser keys, double readRatio, SplittableRandom random, byte[] value,
                        LatencyRecorder recorder) {
        byte[] key = BenchKeys.key(keys.next(random));
        OpKind kind = random.nextDouble() < readRatio ? OpKind.READ : OpKind.UPDATE;
        long t0 = System.nanoTime();
        try {
            if (kind == OpKind.READ) {
                session.read(key);
            } else {
                value[0]++; // a different value each time
                session.update(key, value);
            }
            recorder.record(kind, System.nanoTime() - t0);
        } catch (Exception e) {
            recorder.failed(e);
        }
    }

    static String progressLine(double elapsedSeconds, long total, double opsPerSec, Map<OpKind, Histogram> interval, long errors) {
        StringBuilder b = new StringBuilder(String.format("bench: %5.1f s  %,d ops  %,.0f ops/s", elapsedSeconds, total, opsPerSec));
        for (Map.Entry<OpKind, Histogram> e : interval.entrySet()) {
            if (e.getValue().getTotalCount() > 0) {
                b.append(String.format("  %s p99 %,.0f us", e.getKey().label(), e.getValue().getValueAtPercentile(99) / 1000.0));
            }
        }
        return b.append(String.format("  errors %,d", errors)).toString();
    }
}
