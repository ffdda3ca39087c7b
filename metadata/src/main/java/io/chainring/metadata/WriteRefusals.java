package io.chainring.metadata;

import io.chainring.ring.NodeId;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * Which datanodes refuse writes now, and why (issue 12 defect 5: a node below its free-disk
 * limit). A node announces it with an ephemeral {@code write-refusals/<id>} holding the reason;
 * the controller reads them to take such nodes out of the chains that need writes and to report
 * them in {@code status}, and every datanode follows them so that a head refuses, before applying
 * it, a write its chain could not complete. Ephemeral, so a node whose session ends takes its
 * refusal with it (it is then down, which says more); {@link #publish} is idempotent and the node
 * repeats it, which also re-creates the znode after a session loss.
 */
public final class WriteRefusals {
    private final CuratorFramework zk;
    private final ZkPaths paths;

    public WriteRefusals(CuratorFramework zk, String cluster) {
        this.zk = Objects.requireNonNull(zk, "zk");
        this.paths = new ZkPaths(cluster);
    }

    /**
     * Makes the stored refusal of {@code node} what {@code reason} says: present with that text, or
     * absent. Writes only when the stored state differs.
     */
    public void publish(NodeId node, Optional<String> reason) {
        String path = paths.writeRefusal(node);
        try {
            Optional<String> stored = read(path);
            if (stored.equals(reason)) {
                return;
            }
            if (reason.isEmpty()) {
                try {
                    zk.delete().forPath(path);
                } catch (KeeperException.NoNodeException gone) {
                    // already absent
                }
                return;
            }
            byte[] data = reason.get().getBytes(StandardCharsets.UTF_8);
            if (stored.isPresent()) {
                zk.setData().forPath(path, data);
            } else {
                try {
                    zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
                } catch (KeeperException.NodeExistsException raced) {
                    zk.setData().forPath(path, data);
                }
            }
        } catch (Exception e) {
            throw MetadataException.failed("cannot publish the write refusal of " + node + " at " + path, e);
        }
    }

    /** Every refusal stored now, by node id. */
    public SortedMap<NodeId, String> read() {
        SortedMap<NodeId, String> out = new TreeMap<>();
        try {
            for (String child : zk.getChildren().forPath(paths.writeRefusals())) {
                read(paths.writeRefusals() + "/" + child).ifPresent(reason -> out.put(new NodeId(child), reason));
            }
        } catch (KeeperException.NoNodeException e) {
            return out;
        } catch (Exception e) {
            throw MetadataException.failed("cannot list " + paths.writeRefusals(), e);
        }
        return out;
    }

    /**
     * Follows the refusals: {@code listener} hears the whole map after the first read and after every
     * change. Close the returned watch to stop.
     */
    public AutoCloseable watch(Consumer<Map<NodeId, String>> listener) {
        String parent = paths.writeRefusals();
        CuratorCache cache = CuratorCache.build(zk, parent);
        Runnable deliver = () -> {
            SortedMap<NodeId, String> now = new TreeMap<>();
            cache.stream().filter(d -> !d.getPath().equals(parent) && d.getData() != null)
                    .forEach(d -> now.put(new NodeId(d.getPath().substring(parent.length() + 1)), text(d)));
            listener.accept(Collections.unmodifiableSortedMap(now));
        };
        cache.listenable().addListener(CuratorCacheListener.builder()
                .forAll((type, oldNode, node) -> deliver.run())
                .forInitialized(deliver)
                .build());
        cache.start();
        return cache::close;
    }

    private Optional<String> read(String path) throws Exception {
        try {
            return Optional.of(new String(zk.getData().forPath(path), StandardCharsets.UTF_8));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        }
    }

    private static String text(ChildData d) {
        return new String(d.getData(), StandardCharsets.UTF_8);
    }
}
