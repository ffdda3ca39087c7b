package io.chainring.metadata;

import java.nio.charset.StandardCharsets;
import java.util.function.LongConsumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.KeeperException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-node cap on rebalance copies (DESIGN §7 throttle), in bytes per second, kept at
 * {@code <cluster>/throttle} so that it changes at run time: the controller writes it, every
 * datanode follows it with {@link #watch}. Absent means {@link #DEFAULT_BYTES_PER_SECOND}; 0
 * means unlimited.
 */
public final class ThrottleStore {
    private static final Logger log = LoggerFactory.getLogger(ThrottleStore.class);

    /**
     * 64 MiB/s: a cap, not the pace. Below it each datanode adapts its rebalance copy rate to its
     * foreground latency (DESIGN §7 throttle), so the default no longer has to be a rate low enough
     * for the worst moment (it was 2 MiB/s before the adaptive throttle); see docs/PERFORMANCE.md.
     */
    public static final long DEFAULT_BYTES_PER_SECOND = 64L << 20;

    /**
     * The repair budget per node (DESIGN §7 budgets): a learner of a chain below R copies at this
     * rate, ahead of any move, whatever the throttle — the chain is one failure closer to data loss.
     */
    public static final long REPAIR_BYTES_PER_SECOND = 64L << 20;

    private final CuratorFramework zk;
    private final ZkPaths paths;

    public ThrottleStore(CuratorFramework zk, String cluster) {
        this.zk = zk;
        this.paths = new ZkPaths(cluster);
    }

    /** The throttle in force: the stored value, or the default when none was set. */
    public long read() {
        try {
            return parse(zk.getData().forPath(paths.throttle()));
        } catch (KeeperException.NoNodeException e) {
            return DEFAULT_BYTES_PER_SECOND;
        } catch (Exception e) {
            throw MetadataException.failed("cannot read the throttle at " + paths.throttle(), e);
        }
    }

    /**
     * Stores a new throttle; datanodes pick it up within a ZooKeeper round trip.
     *
     * @throws IllegalArgumentException when negative
     */
    public void set(long bytesPerSecond) {
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("throttle must be 0 (unlimited) or more bytes/s: " + bytesPerSecond);
        }
        byte[] data = Long.toString(bytesPerSecond).getBytes(StandardCharsets.US_ASCII);
        try {
            try {
                zk.setData().forPath(paths.throttle(), data);
            } catch (KeeperException.NoNodeException absent) {
                try {
                    zk.create().creatingParentsIfNeeded().forPath(paths.throttle(), data);
                } catch (KeeperException.NodeExistsException raced) {
                    zk.setData().forPath(paths.throttle(), data);
                }
            }
        } catch (Exception e) {
            throw MetadataException.failed("cannot write the throttle at " + paths.throttle(), e);
        }
    }

    /**
     * Follows the throttle: {@code listener} hears the value in force at start and every change
     * (the default again if the znode is deleted). Close the returned watch to stop.
     */
    public AutoCloseable watch(LongConsumer listener) {
        CuratorCache cache = CuratorCache.build(zk, paths.throttle(), CuratorCache.Options.SINGLE_NODE_CACHE);
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forCreatesAndChanges((oldNode, node) -> deliver(listener, node))
                .forDeletes(node -> listener.accept(DEFAULT_BYTES_PER_SECOND))
                .forInitialized(() -> {
                    if (cache.get(paths.throttle()).isEmpty()) {
                        listener.accept(DEFAULT_BYTES_PER_SECOND);
                    }
                })
                .build());
        cache.start();
        return cache::close;
    }

    private void deliver(LongConsumer listener, ChildData node) {
        try {
            listener.accept(parse(node.getData()));
        } catch (IllegalArgumentException e) {
            log.warn("ignoring a malformed throttle at {}: {}", paths.throttle(), e.getMessage());
        }
    }

    private static long parse(byte[] data) {
        String text = new String(data, StandardCharsets.US_ASCII).trim();
        long value = Long.parseLong(text);
        if (value < 0) {
            throw new IllegalArgumentException("negative throttle " + value);
        }
        return value;
    }
}
