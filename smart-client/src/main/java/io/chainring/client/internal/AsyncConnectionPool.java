package io.chainring.client.internal;

import io.chainring.ring.HostPort;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.thrift.async.TAsyncClientManager;
import org.apache.thrift.transport.TTransportException;

/**
 * Non-blocking kv connections per node, at most {@code maxPerNode} open (in use, idle or being
 * opened) to one node; a call beyond that waits in a FIFO queue until a connection is released or
 * its deadline passes (then it fails as a timeout with nothing sent). An idle connection is checked
 * before reuse, as in {@link ConnectionPool}. Connections are opened on the {@code connector}
 * executor, never on the selector thread.
 *
 * <p>Never completes a future exceptionally: a failure to get a connection comes back as a
 * classified {@link Failure} (connect failed, timeout, or closed), always with nothing sent.
 */
final class AsyncConnectionPool implements AutoCloseable {
    private final int maxPerNode;
    private final int maxFrameSize;
    private final UnaryOperator<HostPort> translator;
    private final TAsyncClientManager manager;
    private final Executor connector;
    private final Map<HostPort, Node> nodes = new ConcurrentHashMap<>();
    /** Connections handed out, each with what to do should the pool close under its call. */
    private final Map<AsyncConnection, Runnable> inUse = new ConcurrentHashMap<>();
    private volatile boolean closed;

    AsyncConnectionPool(int maxPerNode, int maxFrameSize, UnaryOperator<HostPort> translator,
                        TAsyncClientManager manager, Executor connector) {
        if (maxPerNode < 1) {
            throw new IllegalArgumentException("maxPerNode must be at least 1: " + maxPerNode);
        }
        this.maxPerNode = maxPerNode;
        this.maxFrameSize = maxFrameSize;
        this.translator = translator;
        this.manager = manager;
        this.connector = connector;
    }

    /** Open connections and waiting calls of one node; guarded by itself. */
    private static final class Node {
        final Deque<AsyncConnection> idle = new ArrayDeque<>();
        final Deque<Waiter> waiters = new ArrayDeque<>();
        int open;
    }

    private record Waiter(CompletableFuture<Attempt<AsyncConnection>> future, Deadline deadline, Duration connectTimeout) {
    }

    /**
     * A connection to the address for one call: an idle one, a new one, or (at the bound) the
     * next one released.
     */
    CompletableFuture<Attempt<AsyncConnection>> acquire(HostPort address, Deadline deadline, Duration connectTimeout) {
        Waiter w = new Waiter(new CompletableFuture<>(), deadline, connectTimeout);
        if (closed) {
            return CompletableFuture.completedFuture(closedFailure());
        }
        Node node = nodes.computeIfAbsent(address, a -> new Node());
        List<AsyncConnection> dead = new ArrayList<>();
        AsyncConnection ready = null;
        boolean connect = false;
        synchronized (node) {
            AsyncConnection c;
            while ((c = node.idle.pollFirst()) != null) {
                if (c.probeAlive()) {
                    ready = c;
                    break;
                }
                dead.add(c);
                node.open--;
            }
            if (ready == null) {
                if (node.open < maxPerNode) {
                    node.open++;
                    connect = true;
                } else {
                    node.waiters.addLast(w);
                }
            }
        }
        dead.forEach(AsyncConnection::close);
        if (ready != null) {
            hand(w, ready);
        } else if (connect) {
            connect(address, node, w);
        } else {
            // a waiter whose deadline passes leaves the queue (its slot in it is skipped later)
            w.future.completeOnTimeout(Attempt.failed(Failure.of(Failure.Kind.TIMEOUT,
                    "deadline passed waiting for one of " + maxPerNode + " connections to " + address, null, false)),
                    Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS);
        }
        return w.future;
    }

    /**
     * Registers what aborts the call on a connection should the pool close under it (it runs at
     * most once, at close); cleared by {@link #release} and {@link #discard}.
     *
     * @return false when the pool is closed already (send nothing; the caller discards the connection)
     */
    boolean onClose(AsyncConnection c, Runnable abort) {
        inUse.put(c, abort);
        if (closed) {
            inUse.remove(c);
            return false;
        }
        return true;
    }

    /** Returns a healthy connection after a completed call: to the next waiter, or to the idle set. */
    void release(AsyncConnection c) {
        inUse.remove(c);
        Node node = nodes.get(c.address());
        if (closed || node == null) {
            discard(c);
            return;
        }
        Waiter next;
        synchronized (node) {
            next = nextWaiter(node);
            if (next == null) {
                node.idle.addFirst(c);
            }
        }
        if (next != null) {
            hand(next, c);
        }
    }

    /** Closes a connection that must not be reused; a waiting call gets a new one in its place. */
    void discard(AsyncConnection c) {
        inUse.remove(c);
        c.close();
        Node node = nodes.get(c.address());
        if (node != null) {
            freed(c.address(), node);
        }
    }

    /** Closes every idle connection to the address (after it broke: they are likely dead too). */
    void evict(HostPort address) {
        Node node = nodes.get(address);
        if (node == null) {
            return;
        }
        List<AsyncConnection> gone;
        synchronized (node) {
            gone = new ArrayList<>(node.idle);
            node.idle.clear();
            node.open -= gone.size();
        }
        gone.forEach(AsyncConnection::close);
    }

    boolean isClosed() {
        return closed;
    }

    /** Connections open or being opened to the address (for tests of the bound). */
    int openCount(HostPort address) {
        Node node = nodes.get(address);
        if (node == null) {
            return 0;
        }
        synchronized (node) {
            return node.open;
        }
    }

    /** Calls waiting for a connection to the address. */
    int waiting(HostPort address) {
        Node node = nodes.get(address);
        if (node == null) {
            return 0;
        }
        synchronized (node) {
            return (int) node.waiters.stream().filter(w -> !w.future.isDone()).count();
        }
    }

    /**
     * Closes every connection, idle or in use: calls in flight are aborted (their callers report
     * the client closed), waiting calls fail as closed with nothing sent.
     */
    @Override
    public void close() {
        closed = true;
        for (Node node : nodes.values()) {
            List<AsyncConnection> idle;
            List<Waiter> waiters;
            synchronized (node) {
                idle = new ArrayList<>(node.idle);
                waiters = new ArrayList<>(node.waiters);
                node.idle.clear();
                node.waiters.clear();
                node.open -= idle.size();
            }
            idle.forEach(AsyncConnection::close);
            waiters.forEach(w -> w.future.complete(closedFailure()));
        }
        for (AsyncConnection c : Set.copyOf(inUse.keySet())) {
            Runnable abort = inUse.remove(c);
            c.close();
            if (abort != null) {
                abort.run();
            }
        }
    }

    /** A slot was freed (a connection closed, or failed to open): the next waiter may open one. */
    private void freed(HostPort address, Node node) {
        Waiter next;
        synchronized (node) {
            node.open--;
            next = closed ? null : nextWaiter(node);
            if (next != null) {
                node.open++;
            }
        }
        if (next != null) {
            connect(address, node, next);
        }
    }

    private static Waiter nextWaiter(Node node) {
        Waiter w;
        while ((w = node.waiters.pollFirst()) != null) {
            if (!w.future.isDone()) {
                return w;
            }
        }
        return null;
    }

    /** Gives a connection to a call, or back to the pool if the call stopped waiting meanwhile. */
    private void hand(Waiter w, AsyncConnection c) {
        if (closed) {
            discard(c);
            w.future.complete(closedFailure());
            return;
        }
        inUse.put(c, () -> { });
        if (!w.future.complete(Attempt.ok(c))) {
            release(c);
        }
    }

    private void connect(HostPort address, Node node, Waiter w) {
        try {
            connector.execute(() -> open(address, node, w));
        } catch (RejectedExecutionException e) {
            freed(address, node);
            w.future.complete(closed ? closedFailure()
                    : Attempt.failed(Failure.of(Failure.Kind.UNAVAILABLE, "no thread to connect to " + address, e, false)));
        }
    }

    private void open(HostPort address, Node node, Waiter w) {
        if (w.future.isDone() || w.deadline.expired() || closed) {
            freed(address, node);
            w.future.complete(closed ? closedFailure()
                    : Attempt.failed(Failure.of(Failure.Kind.TIMEOUT, "deadline passed before connecting", null, false)));
            return;
        }
        AsyncConnection c;
        try {
            c = AsyncConnection.open(address, translator.apply(address), w.deadline.remainingMillis(w.connectTimeout),
                    maxFrameSize, manager);
        } catch (TTransportException | RuntimeException e) {
            freed(address, node);
            evict(address);
            w.future.complete(Attempt.failed(closed ? Failure.of(Failure.Kind.CLOSED, "client closed", e, false)
                    : w.deadline.expired() ? Failure.of(Failure.Kind.TIMEOUT, "deadline passed while connecting", e, false)
                    : ErrorMapper.connectFailure(e)));
            return;
        }
        hand(w, c);
    }

    private static Attempt<AsyncConnection> closedFailure() {
        return Attempt.failed(Failure.of(Failure.Kind.CLOSED, "client closed", null, false));
    }
}
