package io.chainring.datanode.replication;

import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.ReplicationService;
import io.chainring.thrift.StaleRouting;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that talks to one other node over its own connection: woken when there is work,
 * otherwise every interval; on failure it reconnects with capped exponential backoff. A failure
 * streak is logged once at WARN and its end at INFO.
 */
abstract class PeerWorker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerWorker.class);
    private static final long MIN_BACKOFF_MS = 25;
    private static final long MAX_BACKOFF_MS = 1000;

    protected final NodeId self;
    protected final NodeId peer;
    private final String what;
    private final PeerClients addresses;
    private final int timeoutMillis;
    private final int maxFrameBytes;
    private final long intervalMillis;
    private final Runnable refreshRing;
    private final Thread thread;
    private final Object signal = new Object();
    private boolean woken;
    private volatile boolean running = true;
    private PeerConnection connection;
    private long backoffMs = MIN_BACKOFF_MS;
    private String failing;

    PeerWorker(String what, NodeId self, NodeId peer, PeerClients addresses, int timeoutMillis, int maxFrameBytes,
               long intervalMillis, Runnable refreshRing) {
        this.what = what;
        this.self = self;
        this.peer = peer;
        this.addresses = addresses;
        this.timeoutMillis = timeoutMillis;
        this.maxFrameBytes = maxFrameBytes;
        this.intervalMillis = intervalMillis;
        this.refreshRing = refreshRing;
        this.thread = new Thread(this::loop, what + "-" + self + "-to-" + peer);
        thread.setDaemon(true);
    }

    final void start() {
        thread.start();
    }

    /** There is work: run soon. */
    final void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /**
     * One round: send what there is. Returns true when more work is waiting (run again at once).
     */
    protected abstract boolean runOnce(ReplicationService.Client client) throws TException;

    /** A round failed: forget what may not have arrived. */
    protected abstract void onFailure();

    /** How long to sleep after a round with nothing more to do, unless woken (the interval by default). */
    protected long waitMillis() {
        return intervalMillis;
    }

    private void loop() {
        while (running) {
            boolean more = false;
            try {
                more = runOnce(connected());
                succeeded();
            } catch (StaleRouting e) {
                failed("refused as stale routing (" + e.getMessage() + "); re-reading the ring", false);
                refreshQuietly();
            } catch (NotServing e) {
                failed("not serving (" + e.getMessage() + ")", false);
            } catch (TException | RuntimeException e) {
                failed(e.toString(), true);
            }
            if (failing != null && running) {
                sleep(backoffMs); // new work must not shorten the backoff
            } else if (!more && running) {
                await(waitMillis());
            }
        }
        closeConnection();
    }

    private ReplicationService.Client connected() throws TException {
        HostPort address = addresses.addressOf(peer);
        if (connection != null && !connection.address().equals(address)) {
            closeConnection();
        }
        if (connection == null) {
            connection = PeerConnection.open(address, timeoutMillis, maxFrameBytes, addresses.credentials());
        }
        return connection.client();
    }

    private void succeeded() {
        if (failing != null) {
            LOG.info("{} {} -> {}: working again", what, self, peer);
            failing = null;
        }
        backoffMs = MIN_BACKOFF_MS;
    }

    private void failed(String reason, boolean dropConnection) {
        if (!running) {
            return;
        }
        if (failing == null) {
            LOG.warn("{} {} -> {} failed: {}; retrying with backoff", what, self, peer, reason);
        } else {
            LOG.debug("{} {} -> {} still failing: {}", what, self, peer, reason);
        }
        failing = reason;
        if (dropConnection) {
            closeConnection();
        }
        try {
            onFailure();
        } catch (RuntimeException e) {
            LOG.warn("{} {} -> {}: cleanup after failure failed", what, self, peer, e);
        }
        backoffMs = Math.min(MAX_BACKOFF_MS, backoffMs * 2);
    }

    private void refreshQuietly() {
        try {
            refreshRing.run();
        } catch (RuntimeException e) {
            LOG.debug("{} {} -> {}: ring refresh failed: {}", what, self, peer, e.toString());
        }
    }

    private void await(long millis) {
        synchronized (signal) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!woken && running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(signal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            woken = false;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeConnection() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    @Override
    public void close() {
        running = false;
        wake();
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            LOG.warn("{} {} -> {} did not stop within 5 s", what, self, peer);
        }
    }
}
