package io.chainring.cli.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop load that runs across the phases of a rebalancing: worker threads make reads and
 * updates ({@link BenchRunner#operate}) without pause, each timed into the recorder of the phase
 * in force when it began. Before the first phase the load runs unmeasured (warm-up).
 */
public final class PhasedLoad implements AutoCloseable {
    private final LatencyRecorder warmup = new LatencyRecorder();
    private final Map<RebalancePhase, LatencyRecorder> recorders = new EnumMap<>(RebalancePhase.class);
    private final List<Thread> workers = new ArrayList<>();
    private final List<BenchTarget.Session> sessions;
    private volatile LatencyRecorder current = warmup;
    private volatile boolean stopped;

    /**
     * Opens one session per thread and starts the workers (warming up).
     *
     * @param readRatio share of reads, 0..1
     */
    public PhasedLoad(BenchTarget target, int threads, KeyChooser keys, double readRatio, int valueSize, long seed) throws Exception {
        for (RebalancePhase p : RebalancePhase.values()) {
            recorders.put(p, new LatencyRecorder());
        }
        sessions = BenchRunner.openSessions(target, threads);
        SplittableRandom seeds = new SplittableRandom(seed);
        for (int t = 0; t < threads; t++) {
            BenchTarget.Session session = sessions.get(t);
            SplittableRandom random = seeds.split();
            Thread w = new Thread(() -> {
                byte[] value = new byte[valueSize];
                random.nextBytes(value);
                while (!stopped) {
                    BenchRunner.operate(session, keys, readRatio, random, value, current);
                }
            }, "bench-rebalance-" + t);
            w.setDaemon(true);
            workers.add(w);
        }
        workers.forEach(Thread::start);
    }

    /** From now on operations count in {@code phase}. */
    public void enter(RebalancePhase phase) {
        current = recorders.get(phase);
    }

    /** The recorder of a phase (its totals hold what was drained so far). */
    public LatencyRecorder recorder(RebalancePhase phase) {
        return recorders.get(phase);
    }

    /** Failed operations so far, in every phase and the warm-up. */
    public long errors() {
        return warmup.errors() + recorders.values().stream().mapToLong(LatencyRecorder::errors).sum();
    }

    /** The first failed operation's description (in any phase), or null. */
    public String firstError() {
        for (LatencyRecorder r : recorders.values()) {
            if (r.firstError() != null) {
                return r.firstError();
            }
        }
        return warmup.firstError();
    }

    /**
     * What every phase recorded since the last call, all operation kinds together (the warm-up's
     * is discarded). Called by one thread.
     */
    public Histogram drainInterval() {
        warmup.drain();
        Histogram all = new Histogram(3);
        for (LatencyRecorder r : recorders.values()) {
            r.drain().values().forEach(all::add);
        }
        return all;
    }

    /** Stops the workers (waiting for their last operation, bounded) and closes their sessions. */
    @Override
    public void close() throws Exception {
        stopped = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread w : workers) {
            w.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        }
        Exception failure = null;
        for (BenchTarget.Session s : sessions) {
            try {
                s.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        drainInterval(); // the last operations into the totals
        if (failure != null) {
            throw failure;
        }
    }
}
