package io.chainring.datanode.replication;

import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.StaleRouting;
import io.chainring.transport.AsyncThriftChannel;
import io.chainring.transport.EventLoops;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.thrift.TBase;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one node-to-node stream ({@link StreamSender}, {@link AckPusher}) on an event loop of the
 * node's server: one call in flight at a time on its own connection, the next built when the
 * answer arrives or when woken, so whatever gathered meanwhile goes out together. A wake-up from
 * the same loop (a write the loop just applied) costs a queued task, not a thread switch; a tick
 * every interval lets the stream send its heartbeats. On failure it reconnects with capped
 * exponential backoff; a failure streak is logged once at WARN and its end at INFO. All state is
 * touched on the loop only.
 */
final class PeerLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    private static final long MIN_BACKOFF_MS = 25;
    private static final long MAX_BACKOFF_MS = 1000;
    private static final String SERVICE = "replication";

    /** The protocol side of a stream: what to send next and what its answer means (no transport types). */
    interface Protocol {
        /** The next call, or empty when there is nothing to send now. */
        Optional<Call> next();

        /** The answer to the call {@link #next} built last. */
        void answered(Object answer);

        /** The last call failed: forget what may not have arrived. */
        void failed();
    }

    /** A {@code replication} method and its generated arguments struct. */
    record Call(String method, TBase<?, ?> args) {
    }

    /** Where a link connects and how. */
    record Peers(EventLoops loops, PeerClients addresses, int maxFrameBytes, Duration timeout, Executor offLoop, Runnable refreshRing) {
    }

    private final String what;
    private final NodeId self;
    private final NodeId peer;
    private final Protocol protocol;
    private final Peers peers;
    private final EventLoop loop;
    private final long tickMillis;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean closed;
    private AsyncThriftChannel channel;
    private HostPort channelAddress;
    private boolean connecting;
    private boolean inFlight;
    private long retryAtNanos;
    private long backoffMs = MIN_BACKOFF_MS;
    private String failing;
    private ScheduledFuture<?> ticker;

    PeerLink(String what, NodeId self, NodeId peer, Protocol protocol, Peers peers, long tickMillis) {
        this.what = what;
        this.self = self;
        this.peer = peer;
        this.protocol = protocol;
        this.peers = peers;
        this.loop = peers.loops().next();
        this.tickMillis = tickMillis;
    }

    void start() {
        onLoop(() -> {
            ticker = loop.scheduleAtFixedRate(this::tick, tickMillis, tickMillis, TimeUnit.MILLISECONDS);
            run();
        });
    }

    /** There is work: run soon, after what the loop is doing now (so that more work can gather). */
    void wake() {
        if (!closed && scheduled.compareAndSet(false, true)) {
            onLoop(() -> {
                scheduled.set(false);
                run();
            });
        }
    }

    private void tick() {
        if (channel != null && channel.isOpen() && !inFlight) {
            Optional<HostPort> address = address();
            if (address.isPresent() && !address.get().equals(channelAddress)) {
                channel.close(); // the peer moved: reconnect to its new address
                channel = null;
            }
        }
        run();
    }

    private void run() {
        if (closed || inFlight || connecting || System.nanoTime() - retryAtNanos < 0) {
            return;
        }
        if (channel == null || !channel.isOpen()) {
            connect();
            return;
        }
        Optional<Call> call;
        try {
            call = protocol.next();
        } catch (RuntimeException e) {
            failed(e.toString(), true);
            return;
        }
        if (call.isEmpty()) {
            return;
        }
        inFlight = true;
        channel.call(SERVICE, call.get().method(), call.get().args()).whenComplete(this::answered);
    }

    private void answered(Object answer, Throwable error) {
        inFlight = false;
        if (closed) {
            return;
        }
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof StaleRouting) {
                failed("refused as stale routing (" + cause.getMessage() + "); re-reading the ring", false);
                refreshRing();
            } else if (cause instanceof NotServing) {
                failed("not serving (" + cause.getMessage() + ")", false);
            } else {
                failed(cause.toString(), true);
            }
            return;
        }
        try {
            protocol.answered(answer);
        } catch (RuntimeException e) {
            failed(e.toString(), true);
            return;
        }
        if (failing != null) {
            LOG.info("{} {} -> {}: working again", what, self, peer);
            failing = null;
        }
        backoffMs = MIN_BACKOFF_MS;
        run(); // what gathered while the call was out
    }

    private void connect() {
        Optional<HostPort> address = address();
        if (address.isEmpty()) {
            failed("node " + peer + " is not in the ring", false);
            return;
        }
        connecting = true;
        HostPort a = address.get();
        AsyncThriftChannel.connect(peers.loops(), loop, a.host(), a.port(), peers.maxFrameBytes(), peers.timeout(),
                peers.addresses().credentials()).whenComplete((c, e) -> {
                    connecting = false;
                    if (closed) {
                        if (c != null) {
                            c.close();
                        }
                        return;
                    }
                    if (e != null) {
                        failed(e.getMessage(), true);
                        return;
                    }
                    channel = c;
                    channelAddress = a;
                    run();
                });
    }

    private Optional<HostPort> address() {
        try {
            return Optional.of(peers.addresses().addressOf(peer));
        } catch (TTransportException e) {
            return Optional.empty();
        }
    }

    private void failed(String reason, boolean dropConnection) {
        if (closed) {
            return;
        }
        if (failing == null) {
            LOG.warn("{} {} -> {} failed: {}; retrying with backoff", what, self, peer, reason);
        } else {
            LOG.debug("{} {} -> {} still failing: {}", what, self, peer, reason);
        }
        failing = reason;
        if (dropConnection && channel != null) {
            channel.close();
            channel = null;
        }
        try {
            protocol.failed();
        } catch (RuntimeException e) {
            LOG.warn("{} {} -> {}: cleanup after failure failed", what, self, peer, e);
        }
        // new work must not shorten the backoff
        retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMs);
        try {
            loop.schedule(this::wake, backoffMs, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("{} {} -> {}: event loop stopped, no retry", what, self, peer);
        }
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }

    /** Re-reads the ring off the loop: it may read ZooKeeper and reposition replicas. */
    private void refreshRing() {
        try {
            peers.offLoop().execute(() -> {
                try {
                    peers.refreshRing().run();
                } catch (RuntimeException e) {
                    LOG.debug("{} {} -> {}: ring refresh failed: {}", what, self, peer, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("{} {} -> {}: closing, no ring refresh", what, self, peer);
        }
    }

    private void onLoop(Runnable task) {
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("{} {} -> {}: event loop stopped", what, self, peer);
        }
    }

    @Override
    public void close() {
        closed = true;
        onLoop(() -> {
            if (ticker != null) {
                ticker.cancel(false);
            }
            if (channel != null) {
                channel.close();
                channel = null;
            }
        });
    }
}
