package io.chainring.client.internal;

import io.chainring.client.Outcome;
import io.chainring.client.ReadLevel;
import io.chainring.client.RingView;
import io.chainring.client.Versioned;
import io.chainring.client.WriteAck;
import io.chainring.ring.Ring;
import io.chainring.thrift.ScanResult;
import io.chainring.client.ChainringException;
import io.chainring.client.ChainringTimeoutException;
import io.chainring.client.ConnectionException;
import io.chainring.client.ErrorCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.thrift.async.TAsyncClientManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the client's parts (pools, ring cache, router, callers, threads), bootstraps the ring, and
 * runs every operation with a deadline, reporting each call to the listener. Async single-key calls
 * and multi-key calls are non-blocking (async Thrift clients on one selector thread); sync
 * single-key calls run on the caller's thread with blocking I/O; MAJORITY reads, scan pages and
 * ring fetches are blocking calls on the client's threads.
 * {@code ChainringClient} is its public face.
 */
public final class ClientCore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCore.class);
    /**
     * Idle connections kept per node. At least the number of threads that call one node at once:
     * with 8 kept and 16 writers on one hot head, every other call closed its connection and the
     * next one opened a new one (a profile showed the connects).
     */
    private static final int MAX_IDLE_PER_NODE = 64;
    /** An idle connection is probed (three system calls) before reuse only after this long idle. */
    private static final Duration PROBE_AFTER_IDLE = Duration.ofMillis(100);
    /** close() waits at most this long (or the call timeout, if shorter) for calls in flight. */
    static final Duration MAX_CLOSE_GRACE = Duration.ofSeconds(5);

    private final ClientConfig config;
    private final SafeListener listener;
    private final ConnectionPool pool;
    private final TAsyncClientManager selector;
    private final AsyncConnectionPool asyncPool;
    /** Non-blocking calls not yet finished, so that close can wait for them and then end them. */
    private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
    private final RingCache rings;
    private final Dispatcher dispatcher;
    private final KvOps kv;
    private final MultiOps multi;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * Builds the client and fetches the first ring from a seed.
     *
     * @throws io.chainring.client.UnavailableException when no seed answers within the retry budget and timeout
     */
    public ClientCore(ClientConfig config) {
        this.config = config;
        this.listener = new SafeListener(config.listener());
        RetryPolicy retry = RetryPolicy.withDefaults(config.maxRetries());
        this.pool = new ConnectionPool(MAX_IDLE_PER_NODE, config.maxFrameSize(), config.addressTranslator(), PROBE_AFTER_IDLE);
        NodeCaller nodes = new NodeCaller(pool, config.connectTimeout(), listener);
        this.rings = new RingCache(config.seeds(), nodes, retry, config.timeout());
        this.dispatcher = new Dispatcher(config.threads());
        try {
            this.selector = new TAsyncClientManager();
        } catch (IOException e) {
            dispatcher.close();
            throw new UncheckedIOException("cannot open a selector for the client's connections", e);
        }
        this.asyncPool = new AsyncConnectionPool(config.threads(), config.maxFrameSize(), config.addressTranslator(),
                selector, dispatcher.io());
        AsyncNodeCaller asyncNodes = new AsyncNodeCaller(asyncPool, config.connectTimeout(), listener);
        Router router = new Router();
        this.kv = new KvOps(new KeyCaller(rings, router, asyncNodes, nodes, retry, dispatcher),
                new MajorityReader(rings, router, nodes, retry, dispatcher.executor()), config.retryWritesAfterUnknownOutcome());
        this.multi = new MultiOps(new BatchCaller(rings, router, asyncNodes, retry, dispatcher), rings, dispatcher, kv);
        LOG.info("chainring client: seeds {}, read level {}, write ack {}, timeout {} ms, connect timeout {} ms, "
                        + "max retries {}, threads {}, max frame {} bytes, ring refresh {}, listener {}", config.seeds(),
                config.readLevel(), config.writeAck(), config.timeout().toMillis(), config.connectTimeout().toMillis(),
                config.maxRetries(), config.threads(), config.maxFrameSize(),
                config.ringRefreshInterval() == null ? "on demand" : "every " + config.ringRefreshInterval().toMillis() + " ms",
                listener.active() ? config.listener().getClass().getName() : "none");
        try {
            rings.bootstrap(Deadline.after(config.timeout()));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        if (config.ringRefreshInterval() != null) {
            dispatcher.every(config.ringRefreshInterval(), () -> rings.poll(Deadline.after(config.timeout())));
        }
    }

    public ClientConfig config() {
        return config;
    }

    public Deadline deadline() {
        return Deadline.after(config.timeout());
    }

    public RingView ring() {
        Ring r = rings.current();
        return new RingView(r.cluster(), r.epoch(), r.partitionCount(), r.replication());
    }

    /**
     * @param blockingCaller true for the sync API: the call runs on the calling thread with blocking
     *                       I/O (measured faster than a round trip through the selector thread)
     *                       and the future is complete on return; false for the async API: the
     *                       call is non-blocking and its future completes on a client thread, so
     *                       that users' continuations never run on the selector thread
     */
    public CompletableFuture<Optional<Versioned>> get(byte[] key, ReadLevel level, Deadline d, boolean blockingCaller) {
        byte[] k = Keys.copy(key, "key");
        if (level == ReadLevel.MAJORITY) {
            return submit("get", d, () -> kv.getMajority(k, d));
        }
        return start("get", d, blockingCaller, () -> kv.get(k, level, d, blockingCaller));
    }

    public CompletableFuture<Long> put(byte[] key, byte[] value, WriteAck ack, Deadline d, boolean blockingCaller) {
        byte[] k = Keys.copy(key, "key");
        byte[] v = Keys.copy(value, "value");
        return start("put", d, blockingCaller, () -> kv.put(k, v, ack, d, blockingCaller));
    }

    public CompletableFuture<Boolean> delete(byte[] key, WriteAck ack, Deadline d, boolean blockingCaller) {
        byte[] k = Keys.copy(key, "key");
        return start("delete", d, blockingCaller, () -> kv.remove(k, ack, d, blockingCaller));
    }

    public CompletableFuture<Long> compareAndSet(byte[] key, byte[] value, long expectedVersion, Deadline d, boolean blockingCaller) {
        if (expectedVersion < 0) {
            throw new IllegalArgumentException("expectedVersion must be 0 (key absent) or a version, got " + expectedVersion);
        }
        byte[] k = Keys.copy(key, "key");
        byte[] v = Keys.copy(value, "value");
        return start("compareAndSet", d, blockingCaller, () -> kv.compareAndSet(k, v, expectedVersion, d, blockingCaller));
    }

    /** {@link #get(byte[], ReadLevel, Deadline, boolean)} for the async API. */
    public CompletableFuture<Optional<Versioned>> get(byte[] key, ReadLevel level, Deadline d) {
        return get(key, level, d, false);
    }

    public CompletableFuture<Long> put(byte[] key, byte[] value, WriteAck ack, Deadline d) {
        return put(key, value, ack, d, false);
    }

    public CompletableFuture<Boolean> delete(byte[] key, WriteAck ack, Deadline d) {
        return delete(key, ack, d, false);
    }

    public CompletableFuture<Long> compareAndSet(byte[] key, byte[] value, long expectedVersion, Deadline d) {
        return compareAndSet(key, value, expectedVersion, d, false);
    }

    /** Starts a non-blocking call, tracked (close waits for it, then ends it). */
    private <T> CompletableFuture<T> track(Supplier<CompletableFuture<T>> start) {
        CompletableFuture<T> call = new CompletableFuture<>();
        inFlight.add(call);
        call.whenComplete((v, e) -> inFlight.remove(call));
        try {
            start.get().whenComplete((v, e) -> {
                if (e != null) {
                    call.completeExceptionally(unwrap(e));
                } else {
                    call.complete(v);
                }
            });
        } catch (RuntimeException e) {
            call.completeExceptionally(e);
        }
        return call;
    }

    /**
     * Runs a single-key call: tracked for close and reported to the listener; a non-blocking one is
     * also watched against its deadline and completes on a client thread.
     */
    private <T> CompletableFuture<T> start(String op, Deadline d, boolean blockingCaller, Supplier<CompletableFuture<T>> start) {
        if (closing.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
        }
        long startNanos = System.nanoTime();
        CompletableFuture<T> call = track(start);
        if (blockingCaller) {
            return reported(op, startNanos, call); // already complete: the call ran on this thread
        }
        return dispatcher.handOff(reported(op, startNanos, dispatcher.watch(op, d, call)));
    }

    public CompletableFuture<Map<byte[], Versioned>> multiGet(List<byte[]> keys, ReadLevel level, Deadline d) {
        List<byte[]> originals = new ArrayList<>(keys);
        List<byte[]> copies = new ArrayList<>(originals.size());
        for (byte[] k : originals) {
            copies.add(Keys.copy(k, "key"));
        }
        if (closing.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
        }
        long start = System.nanoTime();
        return dispatcher.handOff(reported("multiGet", start, track(() -> multi.multiGet(originals, copies, level, d))));
    }

    public CompletableFuture<Map<byte[], Long>> multiPut(Map<byte[], byte[]> entries, WriteAck ack, Deadline d) {
        List<byte[]> originals = new ArrayList<>(entries.size());
        List<byte[]> keys = new ArrayList<>(entries.size());
        List<byte[]> values = new ArrayList<>(entries.size());
        for (Map.Entry<byte[], byte[]> e : entries.entrySet()) {
            originals.add(e.getKey());
            keys.add(Keys.copy(e.getKey(), "key"));
            values.add(Keys.copy(e.getValue(), "value"));
        }
        if (closing.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
        }
        long start = System.nanoTime();
        return dispatcher.handOff(reported("multiPut", start, track(() -> multi.multiPut(originals, keys, values, ack, d))));
    }

    /**
     * One request for up to {@code limit} entries of one partition after {@code startAfter},
     * blocking; for a scan page that {@link #submit} runs.
     */
    public ScanResult scanPartition(int partition, byte[] startAfter, int limit, ReadLevel level, Deadline d) {
        // one request of a scan page (which its caller reports as the call), blocking on this thread
        return await(track(() -> kv.scan(partition, startAfter, limit, level, d, true)), d, "scan");
    }

    /** Waits for a non-blocking call's future (which completes by its deadline) and unwraps its error. */
    private static <T> T await(CompletableFuture<T> future, Deadline d, String what) {
        try {
            return future.get(Math.max(0, d.remainingNanos()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new ChainringException(ErrorCode.INTERNAL, what + " failed: " + cause, true, cause);
        } catch (TimeoutException e) {
            throw new ChainringTimeoutException(what + ": " + d + " passed, outcome unknown", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainringException(ErrorCode.INTERRUPTED, what + ": interrupted while waiting, outcome unknown", true, e);
        }
    }

    /** The partition count of the ring in use. */
    public int partitionCount() {
        return rings.current().partitionCount();
    }

    /** Runs a blocking task on the client's threads within the deadline, and reports it as one call. */
    public <T> CompletableFuture<T> submit(String op, Deadline d, Supplier<T> task) {
        if (closing.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("client is closed"));
        }
        return reported(op, System.nanoTime(), dispatcher.submit(op, d, task));
    }

    private <T> CompletableFuture<T> reported(String op, long startNanos, CompletableFuture<T> future) {
        if (!listener.active()) {
            return future;
        }
        return future.whenComplete((v, e) -> listener.callFinished(op, Outcome.of(unwrap(e)), System.nanoTime() - startNanos));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    /**
     * Waits for calls in flight (at most the call timeout, and at most 5 s), then closes every
     * connection, which fails the calls still running, and stops the threads. Calls made after
     * this fail with {@link IllegalStateException}. A second close waits for the first to finish.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            closed.join();
            return;
        }
        shutDown();
    }

    private void shutDown() {
        try {
            Duration grace = config.timeout().compareTo(MAX_CLOSE_GRACE) < 0 ? config.timeout() : MAX_CLOSE_GRACE;
            long graceEnd = System.nanoTime() + grace.toNanos();
            awaitInFlight(grace.toNanos());
            dispatcher.close(Duration.ofNanos(Math.max(0, graceEnd - System.nanoTime())), () -> {
                pool.close();
                asyncPool.close();
            });
            pool.close();
            asyncPool.close();
            selector.stop();
            // nothing should be left; never leave a caller waiting should something be
            for (CompletableFuture<?> f : List.copyOf(inFlight)) {
                f.completeExceptionally(new ConnectionException("client closed while the call was in flight, outcome unknown", true, null));
            }
            LOG.debug("client closed");
        } finally {
            closed.complete(null);
        }
    }

    private void awaitInFlight(long nanos) {
        try {
            CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(nanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("calls still in flight or failed at close: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Closes on a thread of its own; the future completes when {@link #close()} is done. Calls
     * made after this returns fail at once.
     */
    public CompletableFuture<Void> closeAsync() {
        if (closing.compareAndSet(false, true)) {
            Thread t = new Thread(this::shutDown, "chainring-client-close");
            t.setDaemon(true);
            t.start();
        }
        return closed.thenApply(v -> null);
    }

    /** Whether {@link #close()} or {@link #closeAsync()} was called. */
    public boolean isClosing() {
        return closing.get();
    }
}
