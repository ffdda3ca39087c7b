package io.chainring.metadata;

import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows the ring znode and reports every newer ring. Epochs seen by the listener only grow,
 * even if ZooKeeper events arrive after a direct {@link #refresh()}.
 */
public final class RingWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RingWatcher.class);

    private final RingStore store;
    private final CuratorCache cache;
    private final Consumer<Ring> listener;
    private final AtomicReference<Ring> latest = new AtomicReference<>();
    private final Object arrivals = new Object();

    public RingWatcher(CuratorFramework zk, String cluster, Consumer<Ring> listener) {
        this.store = new RingStore(zk, cluster);
        this.listener = listener;
        this.cache = CuratorCache.build(zk, new ZkPaths(cluster).ring(), CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((oldNode, node) -> offer(node))
                .forInitialized(this::refreshQuietly)
                .build());
    }

    public RingWatcher start() {
        cache.start();
        return this;
    }

    /** The newest ring seen so far, if any. */
    public Optional<Ring> current() {
        return Optional.ofNullable(latest.get());
    }

    /** Reads the ring from ZooKeeper now (e.g. when a client shows a newer epoch). */
    public Optional<Ring> refresh() {
        store.read().ifPresent(v -> accept(v.ring()));
        return current();
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (MetadataException e) {
            log.warn("ring refresh failed: {}", e.getMessage());
        }
    }

    private void offer(ChildData node) {
        if (node == null || node.getData() == null) {
            return;
        }
        try {
            accept(RingCodec.fromBytes(node.getData()));
        } catch (IllegalArgumentException e) {
            log.error("ignoring undecodable ring at {}", node.getPath(), e);
        }
    }

    private void accept(Ring ring) {
        Ring prev = latest.getAndAccumulate(ring, (old, neu) -> old == null || neu.epoch() > old.epoch() ? neu : old);
        if (prev == null || ring.epoch() > prev.epoch()) {
            synchronized (arrivals) {
                arrivals.notifyAll();
            }
            listener.accept(ring);
        }
    }

    /**
     * Waits up to {@code max} for a ring of at least {@code epoch} to arrive through the watch
     * (a client that learned of a new ring from another node is usually only milliseconds
     * ahead of this watch), and returns it; empty if none arrived in time.
     */
    public Optional<Ring> awaitEpoch(long epoch, java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (arrivals) {
            while (true) {
                Ring now = latest.get();
                if (now != null && now.epoch() >= epoch) {
                    return Optional.of(now);
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return Optional.empty();
                }
                java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(arrivals, left);
            }
        }
    }

    @Override
    public void close() {
        cache.close();
    }
}
