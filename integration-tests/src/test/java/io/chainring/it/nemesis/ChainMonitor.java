package io.chainring.it.nemesis;

import io.chainring.client.AdminClient;
import io.chainring.client.ChainringException;
import io.chainring.client.RingSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the ring through the controller (every {@code period}) and records, per partition, each
 * interval during which its chain had fewer than R members: from the poll that first saw it short
 * to the poll that first saw it whole again. The resolution is the poll period, and coarser while
 * no controller answers (e.g. right after the leader was killed).
 */
final class ChainMonitor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ChainMonitor.class);

    /**
     * A partition's chain was short of R members from {@code startNanos} to {@code endNanos}.
     *
     * @param endNanos -1 while it is still short
     * @param shortest the fewest members seen in the interval
     */
    record ShortChain(int partition, long startNanos, long endNanos, int shortest) {
        boolean ended() {
            return endNanos >= 0;
        }

        Duration length() {
            return Duration.ofNanos(endNanos - startNanos);
        }
    }

    private final AdminClient admin;
    private final int replication;
    private final Duration period;
    private final Thread thread;
    private final Map<Integer, ShortChain> open = new HashMap<>();
    private final List<ShortChain> closed = new ArrayList<>();
    private volatile boolean stopping;
    private long polls;
    private long failedPolls;

    ChainMonitor(AdminClient admin, int replication, Duration period) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.replication = replication;
        this.period = Objects.requireNonNull(period, "period");
        this.thread = new Thread(this::run, "chain-monitor");
        this.thread.setDaemon(true);
    }

    ChainMonitor start() {
        thread.start();
        return this;
    }

    /** Every interval seen so far, ended or not, by start time. */
    synchronized List<ShortChain> intervals() {
        List<ShortChain> all = new ArrayList<>(closed);
        all.addAll(open.values());
        all.sort((a, b) -> Long.compare(a.startNanos(), b.startNanos()));
        return all;
    }

    /**
     * Waits (bounded) until no short chain is open: the cluster may be whole before this
     * monitor's next poll has seen it.
     */
    synchronized boolean awaitNoneOpen(Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (!open.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return true;
    }

    synchronized String pollStats() {
        return polls + " polls, " + failedPolls + " without an answer";
    }

    private void run() {
        while (!stopping) {
            long t = System.nanoTime();
            try {
                record(admin.ring(), System.nanoTime());
            } catch (ChainringException e) {
                synchronized (this) {
                    failedPolls++;
                }
                log.debug("ring unavailable: {}", e.toString());
            }
            long sleep = period.toMillis() - (System.nanoTime() - t) / 1_000_000;
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private synchronized void record(RingSnapshot ring, long now) {
        polls++;
        for (RingSnapshot.PartitionChain p : ring.partitions()) {
            int size = p.chain().size();
            ShortChain current = open.get(p.id());
            if (size < replication) {
                if (current == null) {
                    open.put(p.id(), new ShortChain(p.id(), now, -1, size));
                } else if (size < current.shortest()) {
                    open.put(p.id(), new ShortChain(p.id(), current.startNanos(), -1, size));
                }
            } else if (current != null) {
                open.remove(p.id());
                closed.add(new ShortChain(p.id(), current.startNanos(), now, current.shortest()));
            }
        }
        notifyAll();
    }

    @Override
    public void close() throws InterruptedException {
        stopping = true;
        thread.interrupt();
        thread.join(10_000);
    }
}
