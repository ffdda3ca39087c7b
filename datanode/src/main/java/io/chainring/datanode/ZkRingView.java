package io.chainring.datanode;

import io.chainring.datanode.server.RingView;
import io.chainring.metadata.RingWatcher;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ring as ZooKeeper has it, and the lease that lets the node serve (DESIGN §6.4): serving
 * only while the Curator connection is up and the ring has been read since it last came up.
 * SUSPENDED or LOST stops serving at once; CONNECTED/RECONNECTED re-reads the ring first.
 *
 * <p>Connection events alone are not a lease: a process frozen (SIGSTOP, a VM stall, a long GC
 * pause) past its session timeout wakes up with its connection still "connected" and requests
 * waiting in its sockets, and its threads serve them before the ZooKeeper client notices that the
 * session is gone — stale reads from a node the controller has already dropped (found by the
 * multi-process nemesis test). So the lease also runs on the clock: a ZooKeeper round trip
 * (a heartbeat every {@link #HEARTBEAT_MS}, or a ring read) proves the session was alive when it
 * was sent, and the node serves only until that send time plus 2/3 of the negotiated session
 * timeout (the ZooKeeper client's own read timeout): the server cannot have expired the session
 * before then. The monotonic clock keeps running while the process is frozen, so a node that
 * wakes up past its lease refuses at once.
 */
final class ZkRingView implements RingView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ZkRingView.class);
    private static final long RETRY_MS = 500;
    static final long MIN_REFRESH_INTERVAL_MS = 50;
    static final long HEARTBEAT_MS = 250;

    private final NodeId self;
    private final CuratorFramework zk;
    private final RingWatcher watcher;
    private final ScheduledExecutorService events;
    private final ConnectionStateListener stateListener = (client, state) -> onStateChange(state);
    private final LongSupplier clock;
    private final long heartbeatMs;
    /** Serving is allowed until this {@link #clock} time; renewed by ZooKeeper round trips. */
    private final AtomicLong leaseUntilNanos;
    /** Bumped on every connection change; a re-read only restores serving if none happened meanwhile. */
    private final AtomicLong generation = new AtomicLong();
    private final Object refreshLock = new Object();
    private long lastRefreshNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
    private volatile boolean leaseHeld;
    /** Who refuses writes: this node's disk guard for itself, ZooKeeper's write refusals for the others. */
    private volatile Function<NodeId, Optional<String>> writeRefusals = node -> Optional.empty();
    private volatile boolean closed;

    ZkRingView(NodeId self, CuratorFramework zk, String cluster, Consumer<Ring> onNewRing) {
        this(self, zk, cluster, onNewRing, System::nanoTime, HEARTBEAT_MS);
    }

    /** With its own monotonic clock (nanoseconds) and heartbeat period, for tests of the lease. */
    ZkRingView(NodeId self, CuratorFramework zk, String cluster, Consumer<Ring> onNewRing, LongSupplier clock, long heartbeatMs) {
        this.self = self;
        this.zk = zk;
        this.clock = clock;
        this.heartbeatMs = heartbeatMs;
        this.leaseUntilNanos = new AtomicLong(clock.getAsLong());
        this.watcher = new RingWatcher(zk, cluster, onNewRing);
        this.events = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ring-view-" + self);
            t.setDaemon(true);
            return t;
        });
    }

    /** Where {@link #writeRefusal} looks; set once at start, before requests are served. */
    void writeRefusals(Function<NodeId, Optional<String>> source) {
        this.writeRefusals = java.util.Objects.requireNonNull(source, "source");
    }

    @Override
    public Optional<String> writeRefusal(NodeId node) {
        return writeRefusals.apply(node);
    }

    void start() {
        zk.getConnectionStateListenable().addListener(stateListener);
        watcher.start();
        events.scheduleWithFixedDelay(this::heartbeat, 0, heartbeatMs, TimeUnit.MILLISECONDS);
        // the first CONNECTED happened before we listened: take the lease now if connected
        if (zk.getZookeeperClient().isConnected()) {
            scheduleReRead(generation.incrementAndGet(), 0);
        }
    }

    @Override
    public Optional<Ring> current() {
        return watcher.current();
    }

    /**
     * Re-reads the ring, at most once per {@link #MIN_REFRESH_INTERVAL_MS}: requests showing a
     * newer epoch must not turn client load into ZooKeeper load (clients never reach ZooKeeper
     * themselves, DESIGN §1). Within the interval the ring read last is returned.
     */
    @Override
    public Optional<Ring> refresh() {
        synchronized (refreshLock) {
            long now = System.nanoTime();
            if (now - lastRefreshNanos < TimeUnit.MILLISECONDS.toNanos(MIN_REFRESH_INTERVAL_MS)) {
                return watcher.current();
            }
            lastRefreshNanos = now;
        }
        return watcher.refresh();
    }

    @Override
    public Optional<Ring> awaitEpoch(long epoch, java.time.Duration max) {
        try {
            return watcher.awaitEpoch(epoch, max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    @Override
    public boolean serving() {
        return leaseHeld && !closed && clock.getAsLong() - leaseUntilNanos.get() < 0 && watcher.current().isPresent();
    }

    /** Sends a cheap ZooKeeper request; its answer renews the lease from the time it was sent. */
    private void heartbeat() {
        if (closed || !zk.getZookeeperClient().isConnected()) {
            // without a connection Curator would queue and retry every probe with backoff: a flood of
            // warnings, and no lease can come of it before CONNECTED/RECONNECTED re-reads the ring anyway
            return;
        }
        long sent = clock.getAsLong();
        try {
            zk.checkExists().inBackground((client, event) -> {
                int rc = event.getResultCode();
                if (rc == KeeperException.Code.OK.intValue() || rc == KeeperException.Code.NONODE.intValue()) {
                    renewLease(sent);
                }
            }).forPath("/");
        } catch (Exception e) {
            // the lease simply runs out; the next heartbeat tries again
            LOG.debug("node {}: lease heartbeat not sent: {}", self, e.toString());
        }
    }

    private void renewLease(long sentNanos) {
        long sessionMs;
        try {
            sessionMs = zk.getZookeeperClient().getZooKeeper().getSessionTimeout();
        } catch (Exception e) {
            LOG.debug("node {}: no session timeout to renew the lease with: {}", self, e.toString());
            return;
        }
        if (sessionMs <= 0) {
            return;
        }
        long until = sentNanos + TimeUnit.MILLISECONDS.toNanos(sessionMs) * 2 / 3;
        leaseUntilNanos.accumulateAndGet(until, (a, b) -> a - b < 0 ? b : a);
    }

    private void onStateChange(ConnectionState state) {
        long gen = generation.incrementAndGet();
        switch (state) {
            case SUSPENDED, LOST -> {
                leaseHeld = false;
                LOG.warn("node {}: ZooKeeper connection {}; not serving until reconnected", self, state);
            }
            case CONNECTED, RECONNECTED -> {
                LOG.info("node {}: ZooKeeper {}; re-reading the ring before serving", self, state);
                scheduleReRead(gen, 0);
            }
            default -> LOG.debug("node {}: ZooKeeper state {}", self, state);
        }
    }

    private void scheduleReRead(long gen, long delayMs) {
        if (closed) {
            return;
        }
        try {
            events.schedule(() -> reRead(gen), delayMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("node {}: ring view closed while scheduling a re-read", self);
        }
    }

    private void reRead(long gen) {
        if (closed || generation.get() != gen) {
            return;
        }
        try {
            long sent = clock.getAsLong();
            Optional<Ring> ring = watcher.refresh();
            renewLease(sent);
            if (generation.get() == gen && !closed) {
                leaseHeld = true;
                LOG.info("node {}: serving with ring epoch {}", self, ring.map(Ring::epoch).map(String::valueOf).orElse("(none yet)"));
            }
        } catch (RuntimeException e) {
            LOG.warn("node {}: cannot read the ring after connecting ({}); retrying", self, e.getMessage());
            scheduleReRead(gen, RETRY_MS);
        }
    }

    @Override
    public void close() {
        closed = true;
        leaseHeld = false;
        zk.getConnectionStateListenable().removeListener(stateListener);
        events.shutdownNow();
        watcher.close();
    }
}
