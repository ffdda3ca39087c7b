package io.chainring.client.internal;

import io.chainring.client.RingRefreshCause;
import io.chainring.client.UnavailableException;
import io.chainring.ring.HostPort;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.TRing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's copy of the ring. Bootstraps from the seeds, installs newer rings handed over by
 * {@code StaleRouting} answers, and refetches when asked: from the ring's own nodes first, then
 * from the seeds (so a client whose every known node died re-seeds). Refreshes are coalesced:
 * one fetch at a time, and a caller that waited for someone else's fetch uses its result.
 */
public final class RingCache {
    private static final Logger LOG = LoggerFactory.getLogger(RingCache.class);

    private final List<HostPort> seeds;
    private final NodeCaller caller;
    private final RetryPolicy retry;
    private final Duration callTimeout;
    private final AtomicReference<Ring> current = new AtomicReference<>();
    private final ReentrantLock fetchLock = new ReentrantLock();
    private final AtomicBoolean asyncRefreshRunning = new AtomicBoolean();
    private final SafeListener listener;

    /**
     * @param seeds       bootstrap addresses
     * @param caller      makes the {@code kv.ring()} calls; its listener hears of every refresh
     * @param retry       bounds bootstrap rounds
     * @param callTimeout the longest one ring fetch from one node may take
     */
    public RingCache(List<HostPort> seeds, NodeCaller caller, RetryPolicy retry, Duration callTimeout) {
        this.seeds = List.copyOf(seeds);
        this.caller = caller;
        this.retry = retry;
        this.callTimeout = callTimeout;
        this.listener = caller.listener();
    }

    /** The ring in use; null only before {@link #bootstrap}. */
    public Ring current() {
        return current.get();
    }

    public long epoch() {
        Ring r = current.get();
        return r == null ? -1 : r.epoch();
    }

    /**
     * Fetches the first ring from any seed, trying every seed per round, with backoff between
     * rounds, within the retry budget and the deadline.
     *
     * @throws UnavailableException naming every seed and why it failed
     */
    public Ring bootstrap(Deadline deadline) {
        List<String> reasons = new ArrayList<>();
        for (int round = 0; ; round++) {
            reasons.clear();
            List<HostPort> order = new ArrayList<>(seeds);
            Collections.shuffle(order);
            for (HostPort seed : order) {
                Attempt<Ring> a = fetch(seed, deadline);
                if (a.ok()) {
                    install(a.value());
                    listener.ringRefreshed(RingRefreshCause.BOOTSTRAP, 0, epoch());
                    LOG.info("bootstrapped ring epoch {} of cluster '{}' from seed {} ({} partitions, replication {}, {} nodes)",
                            a.value().epoch(), a.value().cluster(), seed, a.value().partitionCount(),
                            a.value().replication(), a.value().nodes().size());
                    return current();
                }
                reasons.add(seed + " (" + a.failure().message() + ")");
            }
            if (!retry.mayRetry(round) || !sleep(retry.backoffNanos(round + 1), deadline)) {
                throw new UnavailableException("no seed reachable: " + String.join(", ", reasons)
                        + " after " + (round + 1) + " round(s) in " + deadline.elapsedMillis() + " ms");
            }
        }
    }

    /**
     * Installs the ring if it is newer than the current one and belongs to the same cluster.
     *
     * @return whether it was installed
     */
    public boolean install(Ring ring) {
        Objects.requireNonNull(ring, "ring");
        while (true) {
            Ring old = current.get();
            if (old != null) {
                if (ring.epoch() <= old.epoch()) {
                    return false;
                }
                if (!old.cluster().equals(ring.cluster()) || old.partitionCount() != ring.partitionCount()) {
                    LOG.warn("ignoring ring of cluster '{}' ({} partitions): this client serves cluster '{}' ({} partitions)",
                            ring.cluster(), ring.partitionCount(), old.cluster(), old.partitionCount());
                    return false;
                }
            }
            if (current.compareAndSet(old, ring)) {
                LOG.debug("ring epoch {} -> {}", old == null ? "none" : old.epoch(), ring.epoch());
                return true;
            }
        }
    }

    /** Installs the ring a {@code StaleRouting} answer carried; false if it is absent, unreadable or not newer. */
    public boolean install(TRing ring) {
        if (ring == null) {
            return false;
        }
        try {
            long before = epoch();
            boolean installed = install(RingCodec.fromThrift(ring));
            if (installed) {
                listener.ringRefreshed(RingRefreshCause.STALE_ROUTING, before, epoch());
            }
            return installed;
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable ring from a server: {}", e.toString());
            return false;
        }
    }

    /**
     * Refetches the ring unless someone already installed one newer than {@code seenEpoch}.
     * Asks the ring's nodes in random order, then the seeds; stops at the first newer ring.
     *
     * @param cause why, for the listener
     * @return whether the ring in use is now newer than {@code seenEpoch}
     */
    public boolean refresh(long seenEpoch, Deadline deadline, RingRefreshCause cause) {
        try {
            if (!fetchLock.tryLock(Math.max(0, deadline.remainingNanos()), TimeUnit.NANOSECONDS)) {
                return epoch() > seenEpoch;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return epoch() > seenEpoch;
        }
        try {
            if (epoch() > seenEpoch) {
                return true;
            }
            List<String> reasons = new ArrayList<>();
            for (HostPort address : candidates()) {
                if (deadline.expired()) {
                    break;
                }
                Attempt<Ring> a = fetch(address, deadline);
                if (a.ok()) {
                    install(a.value());
                    if (epoch() > seenEpoch) {
                        listener.ringRefreshed(cause, seenEpoch, epoch());
                        return true;
                    }
                } else {
                    reasons.add(address + " (" + a.failure().message() + ")");
                }
            }
            LOG.debug("ring refresh found nothing newer than epoch {}; failed: {}", seenEpoch, reasons);
            listener.ringRefreshed(cause, seenEpoch, epoch());
            return false;
        } finally {
            fetchLock.unlock();
        }
    }

    /**
     * Refreshes in the background when a node answered with a newer epoch than ours; at most one
     * such refresh runs at a time.
     */
    public void observe(long nodeEpoch, Executor executor) {
        long seen = epoch();
        if (nodeEpoch <= seen || !asyncRefreshRunning.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(() -> {
                try {
                    refresh(seen, Deadline.after(callTimeout), RingRefreshCause.NEWER_EPOCH_SEEN);
                } catch (RuntimeException e) {
                    LOG.warn("background ring refresh failed", e);
                } finally {
                    asyncRefreshRunning.set(false);
                }
            });
        } catch (RejectedExecutionException e) {
            asyncRefreshRunning.set(false);
            LOG.debug("background ring refresh not started: {}", e.toString());
        }
    }

    /**
     * Asks one node for its ring (the ring's nodes in random order, then the seeds, until one
     * answers) and installs it if newer. For the periodic refresh: unlike {@link #refresh}, it
     * does not go on asking every node when the answer is not newer.
     *
     * @return whether a newer ring was installed
     */
    public boolean poll(Deadline deadline) {
        if (!fetchLock.tryLock()) {
            return false; // a refresh is running already
        }
        try {
            long before = epoch();
            for (HostPort address : candidates()) {
                if (deadline.expired()) {
                    break;
                }
                Attempt<Ring> a = fetch(address, deadline);
                if (a.ok()) {
                    boolean installed = install(a.value());
                    listener.ringRefreshed(RingRefreshCause.PERIODIC, before, epoch());
                    return installed;
                }
                LOG.debug("periodic ring refresh: {} failed: {}", address, a.failure().message());
            }
            listener.ringRefreshed(RingRefreshCause.PERIODIC, before, epoch());
            return false;
        } finally {
            fetchLock.unlock();
        }
    }

    /** The ring's nodes in random order, then the seeds that are not among them. */
    private List<HostPort> candidates() {
        Set<HostPort> out = new LinkedHashSet<>();
        Ring r = current.get();
        if (r != null) {
            List<HostPort> known = new ArrayList<>(r.nodes().values().stream().map(NodeInfo::address).toList());
            Collections.shuffle(known);
            out.addAll(known);
        }
        List<HostPort> s = new ArrayList<>(seeds);
        Collections.shuffle(s);
        out.addAll(s);
        return List.copyOf(out);
    }

    private Attempt<Ring> fetch(HostPort address, Deadline callDeadline) {
        // one unresponsive node must not eat the whole call's deadline
        Deadline d = callDeadline.remainingNanos() > callTimeout.toNanos() ? Deadline.after(callTimeout) : callDeadline;
        Attempt<TRing> a = caller.call("ring", nodeName(address), address, d, c -> c.kv().ring());
        if (!a.ok()) {
            return Attempt.failed(a.failure());
        }
        try {
            return Attempt.ok(RingCodec.fromThrift(a.value()));
        } catch (RuntimeException e) {
            return Attempt.failed(Failure.of(Failure.Kind.INTERNAL, "unreadable ring: " + e.getMessage(), e, false));
        }
    }

    /** The node's id when the ring names the address, else the address itself. */
    private String nodeName(HostPort address) {
        Ring r = current.get();
        if (r != null) {
            for (NodeInfo n : r.nodes().values()) {
                if (n.address().equals(address)) {
                    return n.id().toString();
                }
            }
        }
        return address.toString();
    }

    private static boolean sleep(long nanos, Deadline deadline) {
        if (nanos >= deadline.remainingNanos()) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
