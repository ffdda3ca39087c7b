package io.chainring.client.internal;

import io.chainring.client.ChainringTimeoutException;
import io.chainring.client.UnavailableException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * The client's threads (besides the async I/O selector thread): a bounded pool that runs blocking
 * calls (MAJORITY reads, scan pages) and completes non-blocking calls' futures for users; a pool for blocking work of the async path (opening connections, ring refreshes), kept
 * apart so that it never waits behind calls that wait for it; and one timer that schedules retry
 * backoffs and completes a call's future with a timeout should the call overrun its deadline (its
 * socket or async-client timeouts normally end it first).
 */
public final class Dispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Calls waiting for a thread beyond this are refused, not queued without bound. */
    public static final int MAX_QUEUED = 10_000;
    /** The timer fires this long after the deadline, as a safety net behind the socket timeouts. */
    static final long WATCHDOG_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final ThreadPoolExecutor pool;
    private final ThreadPoolExecutor io;
    private final ScheduledThreadPoolExecutor timer;
    /** Backoffs scheduled and not yet run: close runs them at once (their next attempt then fails as closed). */
    private final Set<Runnable> backoffs = ConcurrentHashMap.newKeySet();

    public Dispatcher(int threads) {
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(MAX_QUEUED),
                daemonThreads("chainring-client-"));
        pool.allowCoreThreadTimeOut(true);
        // unbounded queue: its tasks are bounded by the calls in flight, each waiting for at most one
        io = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                daemonThreads("chainring-client-io-"));
        io.allowCoreThreadTimeOut(true);
        timer = new ScheduledThreadPoolExecutor(1, daemonThreads("chainring-client-timer-"));
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs background work (ring refreshes) on the pool. */
    public Executor executor() {
        return pool;
    }

    /** Runs blocking work of the async path (connects, ring refreshes). */
    public Executor io() {
        return io;
    }

    /**
     * A retry loop's turn after a failed attempt: {@code react} (which may fetch a ring, a
     * blocking call, so it runs on the io pool, never on the selector thread) says whether the
     * next attempt can go at once; then the call fails when its retries or deadline are spent,
     * or {@code retry} runs now or after the backoff.
     */
    public void afterFailure(CallState st, java.util.function.BooleanSupplier react, Runnable retry,
                             java.util.concurrent.CompletableFuture<?> result) {
        Runnable next = () -> {
            try {
                long pause = st.nextPause(!react.getAsBoolean());
                if (pause < 0) {
                    result.completeExceptionally(st.fail());
                } else if (pause == 0) {
                    retry.run();
                } else {
                    later(retry, pause);
                }
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        };
        try {
            io.execute(next);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.completeExceptionally(st.fail()); // closing
        }
    }

    /**
     * Runs {@code task} on the timer thread after {@code nanos} (a retry's backoff); at close it
     * runs at once instead. The task must not block.
     */
    public void later(Runnable task, long nanos) {
        Runnable once = new Runnable() {
            @Override
            public void run() {
                if (backoffs.remove(this)) {
                    task.run();
                }
            }
        };
        backoffs.add(once);
        try {
            timer.schedule(once, nanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            once.run(); // closing
        }
    }

    /**
     * Completes {@code future} with a {@link ChainringTimeoutException} if it is still running a
     * little after the deadline: a safety net behind the async client's timeouts.
     */
    public <T> CompletableFuture<T> watch(String what, Deadline deadline, CompletableFuture<T> future) {
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
     * Completes {@code target} like {@code source}, on the pool: users' continuations must not
     * run on the selector thread (a blocking one would stall every call). Inline if the pool is
     * full or closed.
     */
    public <T> CompletableFuture<T> handOff(CompletableFuture<T> source) {
        CompletableFuture<T> target = new CompletableFuture<>();
        source.whenComplete((v, e) -> {
            Runnable complete = () -> {
                if (e != null) {
                    target.completeExceptionally(e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e);
                } else {
                    target.complete(v);
                }
            };
            try {
                pool.execute(complete);
            } catch (RejectedExecutionException r) {
                complete.run();
            }
        });
        return target;
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
            runBackoffsNow();
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
            runBackoffsNow();
            pool.shutdownNow();
        } finally {
            timer.shutdownNow();
            io.shutdownNow();
        }
    }

    private void runBackoffsNow() {
        for (Runnable r : List.copyOf(backoffs)) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("a retry run early at close failed", e);
            }
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
