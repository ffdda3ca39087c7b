package io.chainring.client.internal;

import io.chainring.ring.HostPort;
import java.time.Duration;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.UnaryOperator;
import org.apache.thrift.transport.TTransportException;

/**
 * Idle Thrift connections per server. A caller borrows one (an idle one the server has not
 * closed, or a new one), uses it alone, and then releases it (reusable) or discards it (after any
 * transport error, since its stream may be mid-message). The number of open connections per node is bounded by the number
 * of threads that make calls; at most {@code maxIdlePerNode} are kept.
 */
public final class ConnectionPool implements AutoCloseable {
    private final int maxIdlePerNode;
    private final int maxFrameSize;
    private final UnaryOperator<HostPort> translator;
    private final long probeAfterIdleNanos;
    private final Map<HostPort, Deque<Connection>> idle = new ConcurrentHashMap<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param maxIdlePerNode  idle connections kept per server
     * @param maxFrameSize    largest frame accepted from a server
     * @param translator      maps an address to the one dialled
     */
    public ConnectionPool(int maxIdlePerNode, int maxFrameSize, UnaryOperator<HostPort> translator) {
        this(maxIdlePerNode, maxFrameSize, translator, Duration.ZERO);
    }

    /**
     * @param probeAfterIdle  an idle connection is probed before reuse only when it sat idle at
     *                        least this long: the probe costs three system calls, and a connection
     *                        released moments ago has no time to be closed by a server that is
     *                        still up — if the server died meanwhile, the call fails as it would
     *                        had it died a moment later
     */
    public ConnectionPool(int maxIdlePerNode, int maxFrameSize, UnaryOperator<HostPort> translator, Duration probeAfterIdle) {
        if (maxIdlePerNode < 1) {
            throw new IllegalArgumentException("maxIdlePerNode must be at least 1: " + maxIdlePerNode);
        }
        this.maxIdlePerNode = maxIdlePerNode;
        this.maxFrameSize = maxFrameSize;
        this.translator = translator;
        this.probeAfterIdleNanos = probeAfterIdle.toNanos();
    }

    /**
     * An idle connection to the address, or a new one.
     *
     * @throws TTransportException when a new connection cannot be opened (nothing was sent)
     * @throws IllegalStateException when the pool is closed
     */
    public Connection borrow(HostPort address, int connectMillis) throws TTransportException {
        requireOpen();
        Deque<Connection> q = idle.get(address);
        Connection c;
        while (q != null && (c = q.pollFirst()) != null) {
            if (c.idleNanos() < probeAfterIdleNanos ? c.isOpen() : c.probeAlive()) {
                return c;
            }
            discard(c);
        }
        Connection fresh = Connection.open(address, translator.apply(address), Math.max(1, connectMillis), maxFrameSize);
        open.add(fresh);
        if (closed) {
            discard(fresh);
            requireOpen();
        }
        return fresh;
    }

    /** Returns a healthy connection for reuse. */
    public void release(Connection c) {
        Deque<Connection> q = idle.computeIfAbsent(c.address(), a -> new ConcurrentLinkedDeque<>());
        if (closed || q.size() >= maxIdlePerNode) {
            discard(c);
            return;
        }
        c.markIdle();
        q.offerFirst(c);
        if (closed && q.remove(c)) {
            discard(c);
        }
    }

    /** Closes a connection that must not be reused. */
    public void discard(Connection c) {
        open.remove(c);
        c.close();
    }

    /** Closes every idle connection to the address (after it failed: they are likely dead too). */
    public void evict(HostPort address) {
        Deque<Connection> q = idle.get(address);
        Connection c;
        while (q != null && (c = q.pollFirst()) != null) {
            discard(c);
        }
    }

    public int idleCount(HostPort address) {
        Deque<Connection> q = idle.get(address);
        return q == null ? 0 : q.size();
    }

    public int openCount() {
        return open.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Closes every connection, idle or in use; calls still using one fail with a broken
     * connection instead of waiting out their deadline.
     */
    @Override
    public void close() {
        closed = true;
        for (Deque<Connection> q : idle.values()) {
            q.clear();
        }
        for (Connection c : open) {
            discard(c);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("client is closed");
        }
    }
}
