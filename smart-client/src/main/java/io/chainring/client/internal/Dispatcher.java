package io.chainring.client.internal;

import io.chainring.client.ChainringTimeoutException;
import io.chainring.client.UnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's threads: a bounded pool that runs calls (blocking Thrift I/O with retries), and one
 * timer that completes a call's future with a timeout should the call overrun its deadline (its
 * socket timeouts normally end it first). Async methods return the pool's futures; sync methods
 * wait on the same futures.
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Calls waiting for a thread beyond this are refused, not queued without bound. */
    public static final int MAX_QUEUED = 10_000;
    /** The timer fires this long after the deadline, as a safety net behind the socket timeouts. */
    static final long WATCHDOG_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ThreadPoolExecutor pool;
    private final ScheduledThreadPoolExecutor timer;

    public Dispatcher(int threads) {
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED),
                daemonThreads("chainring-client-"));
        pool.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("chainring-client-timer-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs background work (ring refreshes) on the pool. */
    public Executor executor() {
        return pool;
    }

    /**
     * Runs {@code task} on the pool; the future completes with its result or its exception, or
     * with a {@link ChainringTimeoutException} if the deadline passes first.
     */
    public <T> CompletableFuture<T> submit(String what, Deadline deadline, Supplier<T> task) {
        CompletableFuture<T> future = new CompletableFuture<>();
        try {
            pool.execute(new Call<>(future, task));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(pool.isShutdown()
                    ? new IllegalStateException("client is closed")
                    : new UnavailableException("client overloaded: " + MAX_QUEUED + " calls already wait for a thread", false, e));
            return future;
        }
        try {
            ScheduledFuture<?> watchdog = timer.schedule(() -> future.completeExceptionally(new ChainringTimeoutException(
                    what + ": " + deadline + " passed, outcome unknown", true, null)),
                    deadline.remainingNanos() + WATCHDOG_SLACK_NANOS, TimeUnit.NANOSECONDS);
            future.whenComplete((v, e) -> watchdog.cancel(false));
        } catch (RejectedExecutionException e) {
            LOG.debug("no deadline timer for {}: client closing", what);
        }
        return future;
    }

    /**
     * Runs {@code task} on the pool every {@code interval} (the first run one interval from now).
     * A run is skipped while the previous one is still going, so slow runs never pile up.
     */
    public void every(Duration interval, Runnable task) {
        AtomicBoolean running = new AtomicBoolean();
        long nanos = interval.toNanos();
        timer.scheduleWithFixedDelay(() -> {
            if (!running.compareAndSet(false, true)) {
                return;
            }
            try {
                pool.execute(() -> {
                    try {
                        task.run();
                    } catch (RuntimeException e) {
                        LOG.warn("periodic client task failed", e);
                    } finally {
                        running.set(false);
                    }
                });
            } catch (RejectedExecutionException e) {
                running.set(false); // closing, or overloaded: try again next time
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Stops taking calls, waits up to {@code grace} for the running ones, then interrupts what is
     * left and fails the calls that never started.
     *
     * @param beforeForce run between the graceful wait and the forced stop (closes connections,
     *                    which ends calls blocked on a socket)
     */
    public void close(Duration grace, Runnable beforeForce) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.debug("calls still running after {}; closing their connections", grace);
            }
            beforeForce.run();
            List<Runnable> never = pool.shutdownNow();
            for (Runnable r : never) {
                if (r instanceof Call<?> c) {
                    c.future.completeExceptionally(new IllegalStateException("client closed before the call was sent"));
                }
            }
            if (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
                LOG.warn("client threads still running 1 s after close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            beforeForce.run();
            pool.shutdownNow();
        } finally {
            timer.shutdownNow();
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO, () -> { });
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A queued call; keeps its future so that a call dropped at close can be failed. */
    private static final class Call<T> implements Runnable {
        private final CompletableFuture<T> future;
        private final Supplier<T> task;

        Call(CompletableFuture<T> future, Supplier<T> task) {
            this.future = future;
            this.task = task;
        }

        @Override
        public void run() {
            if (future.isDone()) {
                return; // timed out while queued
            }
            try {
                future.complete(task.get());
            } catch (RuntimeException e) {
                future.completeExceptionally(e);
            } catch (Error e) {
                future.completeExceptionally(e);
                throw e;
            }
        }
    }
}
