package io.chainring.client;

import io.chainring.client.internal.ClientConfig;
import io.chainring.client.internal.ClientCore;
import io.chainring.client.internal.Deadline;
import io.chainring.client.internal.Keys;
import io.chainring.ring.HostPort;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The Chainring smart client. Caches the ring, sends each request straight to the node that
 * holds the key (writes to the partition's head, reads to any chain member), and follows ring
 * changes by itself. Thread-safe: build one and share it.
 *
 * <pre>{@code
 * try (ChainringClient c = ChainringClient.builder().seeds("127.0.0.1:7101").build()) {
 *     long v = c.put(key, value);
 *     Optional<Versioned> r = c.get(key);
 *     long v2 = c.compareAndSet(key, newValue, v);
 * }
 * }</pre>
 *
 * <p><b>Deadlines and retries.</b> Every call has a deadline ({@link Builder#timeout}); within it
 * the client retries up to {@link Builder#maxRetries} times with a short exponential backoff: on a
 * stale ring (it installs the newer ring first), on a node that is not serving or not reachable
 * (reads move to another chain member; writes refresh the ring and go to the head again), and on
 * too few replicas. When every known node fails it falls back to the seeds.
 *
 * <p><b>What is retried.</b> By default a write is retried only after refusals that prove it was
 * not applied (a stale ring, a node not serving, too few replicas). After an attempt whose
 * outcome is unknown (a broken connection, a timeout, a head that could not confirm the write) it
 * throws with {@link ChainringException#mayHaveBeenApplied()} true, and the caller should read
 * the key to learn the outcome. {@link Builder#retryWritesAfterUnknownOutcome} makes {@code put}
 * and {@code delete} retry instead: a repeated put stores the same value again under a newer
 * version, and a repeated delete may return {@code false} because the first attempt already
 * deleted the key. {@code compareAndSet} is never retried after an unknown outcome.
 *
 * <p><b>Async.</b> Each method has an {@code ...Async} form returning a {@link CompletableFuture}
 * that completes on the client's own bounded thread pool. The single-key async calls and the
 * multi-key calls use non-blocking I/O (one selector thread, a bounded set of connections per node), so a few threads
 * can keep thousands of calls in flight; the blocking forms run the same retry logic on the
 * calling thread. Keep callbacks short or move them to your own executor. Futures fail with the
 * same {@link ChainringException}s the blocking forms throw (wrapped as futures do).
 *
 * <p>Null keys or values are rejected with {@link NullPointerException}; key and value limits are
 * the cluster's and are reported as {@link InvalidRequestException}.
 */
public final class ChainringClient implements AutoCloseable {
    /** Most entries one {@link #scan} page may ask for. */
    public static final int MAX_SCAN_PAGE = 10_000;
    /** Entries per request when {@link #scanAll} streams a scan. */
    public static final int SCAN_ALL_PAGE = 1_000;

    private final ClientCore core;
    private final ScanPager pager;
    /** Each call's deadline: the builder's timeout, or a view's ({@link #withTimeout}). */
    private final Duration timeout;
    /** Whether {@link #close()} closes the shared core: the built client does, a view does not. */
    private final boolean owner;

    private ChainringClient(ClientCore core, ScanPager pager, Duration timeout, boolean owner) {
        this.core = core;
        this.pager = pager;
        this.timeout = timeout;
        this.owner = owner;
    }

    /**
     * A view of this client whose calls have {@code timeout} as their deadline, retries included
     * (instead of {@link Builder#timeout}). It shares everything else — connections, ring, threads,
     * listener — and costs nothing to make, so use one per call site that needs a tighter or looser
     * deadline: {@code client.withTimeout(Duration.ofMillis(50)).get(key)}. Closing a view does
     * nothing; close the client you built.
     *
     * @throws IllegalArgumentException if the timeout is not positive
     */
    public ChainringClient withTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return new ChainringClient(core, pager, timeout, false);
    }

    /** The deadline each call of this client gets. */
    public Duration timeout() {
        return timeout;
    }

    private Deadline deadline() {
        return Deadline.after(timeout);
    }

    /** A builder; {@link Builder#seeds(String)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------ get

    /** The key's value and version at the client's default read level, or empty if absent. */
    public Optional<Versioned> get(byte[] key) {
        return get(key, core.config().readLevel());
    }

    /** The key's value and version at the given read level, or empty if absent. */
    public Optional<Versioned> get(byte[] key, ReadLevel level) {
        Deadline d = deadline();
        return await(core.get(key, Objects.requireNonNull(level, "level"), d, true), d, "get");
    }

    /** {@link #get(byte[])} with a UTF-8 key. */
    public Optional<Versioned> get(String key) {
        return get(Keys.utf8(key, "key"));
    }

    /** {@link #get(byte[])} without blocking. */
    public CompletableFuture<Optional<Versioned>> getAsync(byte[] key) {
        return getAsync(key, core.config().readLevel());
    }

    /** {@link #get(byte[], ReadLevel)} without blocking. */
    public CompletableFuture<Optional<Versioned>> getAsync(byte[] key, ReadLevel level) {
        return core.get(key, Objects.requireNonNull(level, "level"), deadline());
    }

    // ------------------------------------------------------------------ put

    /** Stores the value; returns its new version. Acknowledged at the client's default {@link WriteAck}. */
    public long put(byte[] key, byte[] value) {
        return put(key, value, core.config().writeAck());
    }

    /** Stores the value; returns its new version once {@code ack} is met. */
    public long put(byte[] key, byte[] value, WriteAck ack) {
        Deadline d = deadline();
        return await(core.put(key, value, Objects.requireNonNull(ack, "ack"), d, true), d, "put");
    }

    /** {@link #put(byte[], byte[])} with a UTF-8 key and value. */
    public long put(String key, String value) {
        return put(Keys.utf8(key, "key"), Keys.utf8(value, "value"));
    }

    /**
     * {@link #put(byte[], byte[])} with a UTF-8 key and a value encoded by {@code codec}
     * ({@link Codec#utf8()}, or your JSON mapper through {@link Codec#of}); read it back with
     * {@code get(key).map(v -> v.value(codec))}.
     *
     * @throws Codec.CodecException if the value cannot be encoded (nothing is sent)
     */
    public <T> long put(String key, T value, Codec<T> codec) {
        return put(Keys.utf8(key, "key"), Objects.requireNonNull(codec, "codec").encode(value));
    }

    /** {@link #put(byte[], byte[])} without blocking. */
    public CompletableFuture<Long> putAsync(byte[] key, byte[] value) {
        return putAsync(key, value, core.config().writeAck());
    }

    /** {@link #put(byte[], byte[], WriteAck)} without blocking. */
    public CompletableFuture<Long> putAsync(byte[] key, byte[] value, WriteAck ack) {
        return core.put(key, value, Objects.requireNonNull(ack, "ack"), deadline());
    }

    // ------------------------------------------------------------------ delete

    /** Deletes the key; returns whether it existed (see the class comment on retries). */
    public boolean delete(byte[] key) {
        return delete(key, core.config().writeAck());
    }

    /** Deletes the key once {@code ack} is met; returns whether it existed. */
    public boolean delete(byte[] key, WriteAck ack) {
        Deadline d = deadline();
        return await(core.delete(key, Objects.requireNonNull(ack, "ack"), d, true), d, "delete");
    }

    /** {@link #delete(byte[])} with a UTF-8 key. */
    public boolean delete(String key) {
        return delete(Keys.utf8(key, "key"));
    }

    /** {@link #delete(byte[])} without blocking. */
    public CompletableFuture<Boolean> deleteAsync(byte[] key) {
        return core.delete(key, core.config().writeAck(), deadline());
    }

    // ------------------------------------------------------------------ compare-and-set

    /**
     * Stores the value only if the key's version is {@code expectedVersion} (0: only if the key is
     * absent); returns the new version.
     *
     * @throws VersionMismatchException with the key's {@link VersionMismatchException#actualVersion()}
     * @throws IllegalArgumentException if {@code expectedVersion} is negative
     */
    public long compareAndSet(byte[] key, byte[] value, long expectedVersion) {
        Deadline d = deadline();
        return await(core.compareAndSet(key, value, expectedVersion, d, true), d, "compareAndSet");
    }

    /** {@link #compareAndSet(byte[], byte[], long)} without blocking. */
    public CompletableFuture<Long> compareAndSetAsync(byte[] key, byte[] value, long expectedVersion) {
        return core.compareAndSet(key, value, expectedVersion, deadline());
    }

    // ------------------------------------------------------------------ batches

    /**
     * Reads many keys, grouped per node and sent in parallel. The result is looked up by key
     * content ({@code results.get(key)} with any array holding the same bytes) or read in request
     * order ({@link KeyedResults#inRequestOrder()}); it holds the keys that exist. Not a snapshot:
     * each key is read at the client's read level on its own.
     */
    public KeyedResults<Versioned> getAll(List<byte[]> keys) {
        Deadline d = deadline();
        return await(getAllAsync(keys, d), d, "multiGet");
    }

    /** {@link #getAll(List)} without blocking. */
    public CompletableFuture<KeyedResults<Versioned>> getAllAsync(List<byte[]> keys) {
        return getAllAsync(keys, deadline());
    }

    private CompletableFuture<KeyedResults<Versioned>> getAllAsync(List<byte[]> keys, Deadline d) {
        List<byte[]> requested = List.copyOf(Objects.requireNonNull(keys, "keys"));
        return core.multiGet(requested, core.config().readLevel(), d).thenApply(found -> new KeyedResults<>(requested, found));
    }

    /**
     * Writes many entries, grouped per partition head and sent in parallel; returns each key's new
     * version, looked up by key content. Not atomic: if it fails, other groups may have been
     * applied ({@link ChainringException#mayHaveBeenApplied()}).
     */
    public KeyedResults<Long> putAll(Map<byte[], byte[]> entries) {
        Deadline d = deadline();
        return await(putAllAsync(entries, d), d, "multiPut");
    }

    /** {@link #putAll(Map)} without blocking. */
    public CompletableFuture<KeyedResults<Long>> putAllAsync(Map<byte[], byte[]> entries) {
        return putAllAsync(entries, deadline());
    }

    private CompletableFuture<KeyedResults<Long>> putAllAsync(Map<byte[], byte[]> entries, Deadline d) {
        List<byte[]> requested = List.copyOf(Objects.requireNonNull(entries, "entries").keySet());
        return core.multiPut(entries, core.config().writeAck(), d).thenApply(versions -> new KeyedResults<>(requested, versions));
    }

    /**
     * Reads many keys; the map holds the keys that exist, keyed by the very arrays passed in (it
     * compares keys by identity: {@code get(new byte[] {...})} finds nothing).
     *
     * @deprecated use {@link #getAll(List)}, whose result is looked up by key content
     */
    @Deprecated(since = "0.1.0")
    public Map<byte[], Versioned> multiGet(List<byte[]> keys) {
        Deadline d = deadline();
        return await(core.multiGet(keys, core.config().readLevel(), d), d, "multiGet");
    }

    /**
     * {@link #multiGet(List)} without blocking.
     *
     * @deprecated use {@link #getAllAsync(List)}
     */
    @Deprecated(since = "0.1.0")
    public CompletableFuture<Map<byte[], Versioned>> multiGetAsync(List<byte[]> keys) {
        return core.multiGet(keys, core.config().readLevel(), deadline());
    }

    /**
     * Writes many entries; the map of new versions is keyed by the very key arrays of
     * {@code entries} (by identity).
     *
     * @deprecated use {@link #putAll(Map)}, whose result is looked up by key content
     */
    @Deprecated(since = "0.1.0")
    public Map<byte[], Long> multiPut(Map<byte[], byte[]> entries) {
        Deadline d = deadline();
        return await(core.multiPut(entries, core.config().writeAck(), d), d, "multiPut");
    }

    /**
     * {@link #multiPut(Map)} without blocking.
     *
     * @deprecated use {@link #putAllAsync(Map)}
     */
    @Deprecated(since = "0.1.0")
    public CompletableFuture<Map<byte[], Long>> multiPutAsync(Map<byte[], byte[]> entries) {
        return core.multiPut(entries, core.config().writeAck(), deadline());
    }

    // ------------------------------------------------------------------ scan

    /**
     * One page of a scan over every partition (for exports and tools, not for hot paths): up to
     * {@code limit} entries after {@code cursor}, read at the client's default read level, and
     * the cursor to continue from. Start with {@link ScanCursor#start()} (or
     * {@link ScanCursor#start(String)} for the keys with a prefix) and go on while
     * {@code !page.next().isDone()}. Each partition is read at its tail, which holds only
     * committed writes ({@link ReadLevel#ONE}: at any member). A scan is not a snapshot; see
     * {@link ScanCursor}. A page may hold fewer entries than asked even when more follow.
     *
     * @param limit 1..{@value #MAX_SCAN_PAGE}
     * @throws IllegalArgumentException if the limit is out of range, or the cursor belongs to a
     *                                  cluster with another partition count
     */
    public ScanPage scan(ScanCursor cursor, int limit) {
        return scan(cursor, limit, core.config().readLevel());
    }

    /** {@link #scan(ScanCursor, int)} at the given read level. */
    public ScanPage scan(ScanCursor cursor, int limit, ReadLevel level) {
        Deadline d = deadline();
        return await(scanAsync(cursor, limit, level, d), d, "scan");
    }

    /** {@link #scan(ScanCursor, int)} without blocking. */
    public CompletableFuture<ScanPage> scanAsync(ScanCursor cursor, int limit) {
        return scanAsync(cursor, limit, core.config().readLevel(), deadline());
    }

    private CompletableFuture<ScanPage> scanAsync(ScanCursor cursor, int limit, ReadLevel level, Deadline d) {
        Objects.requireNonNull(cursor, "cursor");
        Objects.requireNonNull(level, "level");
        if (limit < 1 || limit > MAX_SCAN_PAGE) {
            throw new IllegalArgumentException("scan limit must be 1.." + MAX_SCAN_PAGE + ": " + limit);
        }
        if (cursor.isDone()) {
            return CompletableFuture.completedFuture(new ScanPage(List.of(), cursor));
        }
        return core.submit("scan", d, () -> pager.page(cursor, limit, level, d));
    }

    /**
     * Every entry from {@code from} on, as a lazy stream that fetches pages of
     * {@value #SCAN_ALL_PAGE} as it is consumed (each page a blocking call with its own deadline).
     * {@link ScanEntry#resumeAfter()} of the last entry consumed resumes the scan later.
     * Failures surface as {@link ChainringException}s from the stream's terminal operation.
     */
    public Stream<ScanEntry> scanAll(ScanCursor from) {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(new ScanIterator(this, from, SCAN_ALL_PAGE),
                Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Every entry of the cluster, as a lazy stream ({@link #scanAll(ScanCursor)} from the start). */
    public Stream<ScanEntry> scanAll() {
        return scanAll(ScanCursor.start());
    }

    /**
     * {@link #scanAll(ScanCursor)} as an {@link Iterable}, for a for-each loop; each
     * {@code iterator()} starts again at {@code from}.
     */
    public Iterable<ScanEntry> scanIterable(ScanCursor from) {
        Objects.requireNonNull(from, "from");
        return () -> new ScanIterator(this, from, SCAN_ALL_PAGE);
    }

    // ------------------------------------------------------------------ lifecycle

    /** The ring the client routes with right now. */
    public RingView ring() {
        return core.ring();
    }

    /**
     * Waits for calls in flight (at most the call timeout, and at most 5 s), then closes every
     * connection, which fails calls still running with {@link ConnectionException}, and stops the
     * client's threads. Calls made afterwards throw {@link IllegalStateException}. Idempotent.
     * On a view made by {@link #withTimeout} it does nothing: close the client you built.
     */
    @Override
    public void close() {
        if (owner) {
            core.close();
        }
    }

    /**
     * {@link #close()} on a thread of its own, for callers that must not block (an event loop, a
     * shutdown hook with other work). Calls made after this returns fail at once; the future
     * completes when the client has closed. Idempotent: every call returns a future of the same close.
     */
    public CompletableFuture<Void> closeAsync() {
        return owner ? core.closeAsync() : CompletableFuture.completedFuture(null);
    }

    private static <T> T await(CompletableFuture<T> future, Deadline deadline, String what) {
        try {
            // the future itself completes by the deadline; the extra second only guards against a bug
            return future.get(Math.max(0, deadline.remainingNanos()) + TimeUnit.SECONDS.toNanos(1), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new ChainringException(ErrorCode.INTERNAL, what + " failed: " + cause, true, cause);
        } catch (TimeoutException e) {
            throw new ChainringTimeoutException(what + ": " + deadline + " passed, outcome unknown", true, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChainringException(ErrorCode.INTERRUPTED, what + ": interrupted while waiting, outcome unknown", true, e);
        }
    }

    /**
     * Builds a {@link ChainringClient}. Every setter checks its argument at once and names the
     * option in its message; options that cannot go together are rejected as soon as the second
     * one is set or, at the latest, by {@link #build()}: seeds or a listener given twice, a
     * connect timeout longer than the call timeout. {@link #build()} connects to a seed and
     * fetches the ring.
     */
    public static final class Builder {
        private List<HostPort> seeds;
        private ReadLevel readLevel = ReadLevel.LINEARIZABLE;
        private WriteAck writeAck = WriteAck.ALL;
        private Duration timeout = ClientConfig.DEFAULT_TIMEOUT;
        private Duration connectTimeout = ClientConfig.DEFAULT_CONNECT_TIMEOUT;
        private boolean timeoutSet;
        private boolean connectTimeoutSet;
        private int maxRetries = ClientConfig.DEFAULT_MAX_RETRIES;
        private int threads = ClientConfig.DEFAULT_THREADS;
        private int maxFrameSize = ClientConfig.DEFAULT_MAX_FRAME_SIZE;
        private UnaryOperator<HostPort> addressTranslator = UnaryOperator.identity();
        private ClientListener listener;
        private Duration ringRefreshInterval;
        private boolean retryWritesAfterUnknownOutcome;

        private Builder() {
        }

        /** Datanodes to bootstrap from: {@code host:port}, several separated by commas. Set once. */
        public Builder seeds(String seeds) {
            return setSeeds(ClientConfig.parseSeeds(List.of(Objects.requireNonNull(seeds, "seeds"))));
        }

        /** Datanodes to bootstrap from, each {@code host:port}. Set once. */
        public Builder seeds(List<String> seeds) {
            return setSeeds(ClientConfig.parseSeeds(seeds));
        }

        private Builder setSeeds(List<HostPort> parsed) {
            requireState(this.seeds == null, "seeds were already set to " + this.seeds + "; give every seed in one call");
            this.seeds = parsed;
            return this;
        }

        /** Default read level (default {@link ReadLevel#LINEARIZABLE}). */
        public Builder readLevel(ReadLevel level) {
            this.readLevel = Objects.requireNonNull(level, "readLevel");
            return this;
        }

        /** Default write acknowledgement (default {@link WriteAck#ALL}). */
        public Builder writeAck(WriteAck ack) {
            this.writeAck = Objects.requireNonNull(ack, "writeAck");
            return this;
        }

        /** Deadline of each call, retries included (default 5 s; at most 1 day). */
        public Builder timeout(Duration timeout) {
            ClientConfig.requirePositive("timeout", timeout);
            if (timeout.compareTo(ClientConfig.MAX_TIMEOUT) > 0) {
                throw new IllegalArgumentException("timeout must be at most " + ClientConfig.MAX_TIMEOUT + ": " + timeout);
            }
            this.timeout = timeout;
            this.timeoutSet = true;
            checkTimeouts();
            return this;
        }

        /**
         * Longest wait for one TCP connection to open (default 2 s; never longer than what is left
         * of the call's deadline). Setting it longer than an explicitly set {@link #timeout} is an error.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = ClientConfig.requirePositive("connectTimeout", connectTimeout);
            this.connectTimeoutSet = true;
            checkTimeouts();
            return this;
        }

        private void checkTimeouts() {
            // the default connect timeout may exceed a short call timeout (it is capped per call); two explicit
            // settings that contradict each other are a mistake worth reporting
            requireState(!(timeoutSet && connectTimeoutSet) || connectTimeout.compareTo(timeout) <= 0,
                    "connectTimeout " + connectTimeout.toMillis() + " ms is longer than timeout " + timeout.toMillis()
                            + " ms: a call could never wait that long for a connection");
        }

        /**
         * Retries after a call's first attempt, 0..100 (default 5). Redirects count as retries: a
         * node that answers {@code StaleRouting} hands over its newer ring and the call goes again
         * at once, using one retry, so a call never follows more than this many redirects.
         */
        public Builder maxRetries(int maxRetries) {
            if (maxRetries < 0 || maxRetries > ClientConfig.MAX_RETRIES_LIMIT) {
                throw new IllegalArgumentException("maxRetries must be 0.." + ClientConfig.MAX_RETRIES_LIMIT + ": " + maxRetries);
            }
            this.maxRetries = maxRetries;
            return this;
        }

        /**
         * Threads that run blocking calls (MAJORITY reads, scan pages; default 16), and the most
         * connections per node the non-blocking calls use at once; further calls queue
         * (non-blocking ones until a connection frees or their deadline passes).
         */
        public Builder threads(int threads) {
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1: " + threads);
            }
            this.threads = threads;
            return this;
        }

        /** Largest answer accepted from a server, in bytes (default 64 MiB). */
        public Builder maxFrameSize(int bytes) {
            if (bytes < 1024) {
                throw new IllegalArgumentException("maxFrameSize must be at least 1024 bytes: " + bytes);
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /**
         * Hears of every request, call, retry and ring refresh (default: none). Set once; to
         * use several, pass {@link ClientListener#composite}.
         */
        public Builder listener(ClientListener listener) {
            Objects.requireNonNull(listener, "listener");
            requireState(this.listener == null, "a listener was already set; combine several with ClientListener.composite(a, b)");
            this.listener = listener;
            return this;
        }

        /**
         * Also refetch the ring every {@code interval} (at least 100 ms), not only when a node
         * says it is stale (default: off). Useful when requests are rare, so that the first
         * request after a ring change goes straight to the right node.
         */
        public Builder ringRefreshInterval(Duration interval) {
            this.ringRefreshInterval = ClientConfig.requireRefreshInterval(interval);
            return this;
        }

        /**
         * Whether {@code put} and {@code delete} are retried after an attempt whose outcome is
         * unknown (a timeout or a connection cut mid-call). Off by default: the first attempt may
         * have been applied, so a repeat writes the value a second time under a new version, or
         * reports that a key it deleted did not exist — results no linearizable history explains.
         * Turn it on to trade that for fewer errors under faults. Compare-and-set is never retried
         * after an unknown outcome.
         */
        public Builder retryWritesAfterUnknownOutcome(boolean retry) {
            this.retryWritesAfterUnknownOutcome = retry;
            return this;
        }

        /**
         * Dial another address than the one the ring names: for fault injection and tests (a proxy in between,
         * as {@code chainring evaluate} does). Not needed in production.
         */
        public Builder addressTranslator(UnaryOperator<HostPort> translator) {
            this.addressTranslator = Objects.requireNonNull(translator, "translator");
            return this;
        }

        /**
         * Connects to a seed, fetches the ring and returns a ready client.
         *
         * @throws IllegalStateException if no seeds were given
         * @throws UnavailableException  if no seed could be reached within the retries and timeout
         */
        public ChainringClient build() {
            requireState(seeds != null, "no seeds: call seeds(\"host:port,...\") before build()");
            ClientCore core = new ClientCore(new ClientConfig(seeds, readLevel, writeAck, timeout, connectTimeout,
                    maxRetries, threads, maxFrameSize, addressTranslator, listener == null ? ClientListener.NONE : listener,
                    ringRefreshInterval, retryWritesAfterUnknownOutcome));
            return new ChainringClient(core, new ScanPager(core), timeout, true);
        }

        private static void requireState(boolean ok, String message) {
            if (!ok) {
                throw new IllegalStateException(message);
            }
        }
    }
}
