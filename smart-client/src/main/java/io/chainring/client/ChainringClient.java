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

    private ChainringClient(ClientCore core) {
        this.core = core;
        this.pager = new ScanPager(core);
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
        Deadline d = core.deadline();
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
        return core.get(key, Objects.requireNonNull(level, "level"), core.deadline());
    }

    // ------------------------------------------------------------------ put

    /** Stores the value; returns its new version. Acknowledged at the client's default {@link WriteAck}. */
    public long put(byte[] key, byte[] value) {
        return put(key, value, core.config().writeAck());
    }

    /** Stores the value; returns its new version once {@code ack} is met. */
    public long put(byte[] key, byte[] value, WriteAck ack) {
        Deadline d = core.deadline();
        return await(core.put(key, value, Objects.requireNonNull(ack, "ack"), d, true), d, "put");
    }

    /** {@link #put(byte[], byte[])} with a UTF-8 key and value. */
    public long put(String key, String value) {
        return put(Keys.utf8(key, "key"), Keys.utf8(value, "value"));
    }

    /** {@link #put(byte[], byte[])} without blocking. */
    public CompletableFuture<Long> putAsync(byte[] key, byte[] value) {
        return putAsync(key, value, core.config().writeAck());
    }

    /** {@link #put(byte[], byte[], WriteAck)} without blocking. */
    public CompletableFuture<Long> putAsync(byte[] key, byte[] value, WriteAck ack) {
        return core.put(key, value, Objects.requireNonNull(ack, "ack"), core.deadline());
    }

    // ------------------------------------------------------------------ delete

    /** Deletes the key; returns whether it existed (see the class comment on retries). */
    public boolean delete(byte[] key) {
        return delete(key, core.config().writeAck());
    }

    /** Deletes the key once {@code ack} is met; returns whether it existed. */
    public boolean delete(byte[] key, WriteAck ack) {
        Deadline d = core.deadline();
        return await(core.delete(key, Objects.requireNonNull(ack, "ack"), d, true), d, "delete");
    }

    /** {@link #delete(byte[])} with a UTF-8 key. */
    public boolean delete(String key) {
        return delete(Keys.utf8(key, "key"));
    }

    /** {@link #delete(byte[])} without blocking. */
    public CompletableFuture<Boolean> deleteAsync(byte[] key) {
        return core.delete(key, core.config().writeAck(), core.deadline());
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
        Deadline d = core.deadline();
        return await(core.compareAndSet(key, value, expectedVersion, d, true), d, "compareAndSet");
    }

    /** {@link #compareAndSet(byte[], byte[], long)} without blocking. */
    public CompletableFuture<Long> compareAndSetAsync(byte[] key, byte[] value, long expectedVersion) {
        return core.compareAndSet(key, value, expectedVersion, core.deadline());
    }

    // ------------------------------------------------------------------ batches

    /**
     * Reads many keys, grouped per node and sent in parallel. The map holds the keys that exist,
     * keyed by the very arrays passed in (it compares keys by identity): look values up with
     * those arrays.
     */
    public Map<byte[], Versioned> multiGet(List<byte[]> keys) {
        Deadline d = core.deadline();
        return await(core.multiGet(keys, core.config().readLevel(), d), d, "multiGet");
    }

    /** {@link #multiGet(List)} without blocking. */
    public CompletableFuture<Map<byte[], Versioned>> multiGetAsync(List<byte[]> keys) {
        return core.multiGet(keys, core.config().readLevel(), core.deadline());
    }

    /**
     * Writes many entries, grouped per partition head and sent in parallel; returns each key's new
     * version, keyed by the very key arrays of {@code entries}. Not atomic: if it fails, other
     * groups may have been applied ({@link ChainringException#mayHaveBeenApplied()}).
     */
    public Map<byte[], Long> multiPut(Map<byte[], byte[]> entries) {
        Deadline d = core.deadline();
        return await(core.multiPut(entries, core.config().writeAck(), d), d, "multiPut");
    }

    /** {@link #multiPut(Map)} without blocking. */
    public CompletableFuture<Map<byte[], Long>> multiPutAsync(Map<byte[], byte[]> entries) {
        return core.multiPut(entries, core.config().writeAck(), core.deadline());
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
        Deadline d = core.deadline();
        return await(scanAsync(cursor, limit, level, d), d, "scan");
    }

    /** {@link #scan(ScanCursor, int)} without blocking. */
    public CompletableFuture<ScanPage> scanAsync(ScanCursor cursor, int limit) {
        return scanAsync(cursor, limit, core.config().readLevel(), core.deadline());
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
     */
    @Override
    public void close() {
        core.close();
    }

    /**
     * {@link #close()} on a thread of its own, for callers that must not block (an event loop, a
     * shutdown hook with other work). Calls made after this returns fail at once; the future
     * completes when the client has closed. Idempotent: every call returns a future of the same close.
     */
    public CompletableFuture<Void> closeAsync() {
        return core.closeAsync();
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
            return new ChainringClient(new ClientCore(new ClientConfig(seeds, readLevel, writeAck, timeout, connectTimeout,
                    maxRetries, threads, maxFrameSize, addressTranslator, listener == null ? ClientListener.NONE : listener,
                    ringRefreshInterval, retryWritesAfterUnknownOutcome)));
        }

        private static void requireState(boolean ok, String message) {
            if (!ok) {
                throw new IllegalStateException(message);
            }
        }
    }
}
