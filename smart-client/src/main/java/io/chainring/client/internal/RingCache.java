package io.chainring.client.internal;

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

    /**
     * @param seeds       bootstrap addresses
     * @param caller      makes the {@code kv.ring()} calls
     * @param retry       bounds bootstrap rounds
     * @param callTimeout the longest one ring fetch from one node may take
     */
    public RingCache(List<HostPort> seeds, NodeCaller caller, RetryPolicy retry, Duration callTimeout) {
        this.seeds = List.copyOf(seeds);
        this.caller = caller;
        this.retry = retry;
        this.callTimeout = callTimeout;
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
            return install(RingCodec.fromThrift(ring));
        } catch (RuntimeException e) {
            LOG.warn("ignoring an unreadable ring from a server: {}", e.toString());
            return false;
        }
    }

    /**
     * Refetches the ring unless someone already installed one newer than {@code seenEpoch}.
     * Asks the ring's nodes in random order, then the seeds; stops at the first newer ring.
     *
     * @return whether the ring in use is now newer than {@code seenEpoch}
     */
    public boolean refresh(long seenEpoch, Deadline deadline) {
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
                        return true;
                    }
                } else {
                    reasons.add(address + " (" + a.failure().message() + ")");
                }
            }
            LOG.debug("ring refresh found nothing newer than epoch {}; failed: {}", seenEpoch, reasons);
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
                    refresh(seen, Deadline.after(callTimeout));
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
        Attempt<TRing> a = caller.call(address, d, c -> c.kv().ring());
        if (!a.ok()) {
            return Attempt.failed(a.failure());
        }
        try {
            return Attempt.ok(RingCodec.fromThrift(a.value()));
        } catch (RuntimeException e) {
            return Attempt.failed(Failure.of(Failure.Kind.INTERNAL, "unreadable ring: " + e.getMessage(), e, false));
        }
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
