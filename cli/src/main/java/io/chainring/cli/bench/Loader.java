package io.chainring.cli.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** Preloads records 0..records-1 in batches, on several threads, showing progress. */
public final class Loader {
    static final int BATCH = 100;
    private static final long REDRAW_MILLIS = 200;

    /** A batch is written at most this often: on a loaded machine an ALL ack may time out. */
    static final int ATTEMPTS = 5;
    private static final long FIRST_BACKOFF_MILLIS = 200;

    private Loader() {
    }

    /**
     * Writes one batch, again after a failure (with backoff): the batch writes the same values
     * each time, so a repeat after an unknown outcome only rewrites them.
     */
    private static void loadWithRetries(BenchTarget.Session session, List<byte[]> keys, byte[] value) throws Exception {
        long backoff = FIRST_BACKOFF_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                session.load(keys, value);
                return;
            } catch (Exception e) {
                if (attempt >= ATTEMPTS) {
                    throw e;
                }
                Thread.sleep(backoff);
                backoff *= 2;
            }
        }
    }

    /**
     * Writes every record once with a value of {@code valueSize} bytes.
     *
     * @throws IllegalStateException naming the first batch that failed (the run must not start on a partial load)
     */
    public static void load(BenchTarget target, long records, int threads, byte[] value, ProgressBar progress) throws Exception {
        AtomicLong next = new AtomicLong();
        AtomicLong done = new AtomicLong();
        AtomicReference<Exception> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(threads);
        List<Thread> workers = new ArrayList<>();
        List<BenchTarget.Session> sessions = BenchRunner.openSessions(target, threads);
        for (int t = 0; t < threads; t++) {
            BenchTarget.Session session = sessions.get(t);
            Thread w = new Thread(() -> {
                try (session) {
                    long from;
                    while (failure.get() == null && (from = next.getAndAdd(BATCH)) < records) {
                        long to = Math.min(records, from + BATCH);
                        List<byte[]> keys = new ArrayList<>((int) (to - from));
                        for (long i = from; i < to; i++) {
                            keys.add(BenchKeys.key(i));
                        }
                        try {
                            loadWithRetries(session, keys, value);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            failure.compareAndSet(null, e);
                            return;
                        } catch (Exception e) {
                            failure.compareAndSet(null, new IllegalStateException("loading records " + from + ".." + (to - 1)
                                    + " failed " + ATTEMPTS + " times, the last: " + e.getMessage(), e));
                            return;
                        }
                        done.addAndGet(to - from);
                    }
                } catch (Exception e) {
                    failure.compareAndSet(null, e);
                } finally {
                    finished.countDown();
                }
            }, "bench-load-" + t);
            w.setDaemon(true);
            workers.add(w);
        }
        workers.forEach(Thread::start);
        while (!finished.await(REDRAW_MILLIS, TimeUnit.MILLISECONDS)) {
            progress.update(done.get());
        }
        progress.finish(done.get());
        if (failure.get() != null) {
            throw failure.get();
        }
    }
}
