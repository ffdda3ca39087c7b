package io.chainring.metadata;

import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.KeeperException;

/**
 * The cluster's id at {@code <cluster>/cluster-id}: a random UUID written once by whichever
 * process needs it first and never changed. Two clusters with the same name on different
 * ZooKeeper ensembles (or one whose metadata was wiped) have different ids.
 */
public final class ClusterIdStore {
    private final CuratorFramework zk;
    private final ZkPaths paths;

    public ClusterIdStore(CuratorFramework zk, String cluster) {
        this.zk = zk;
        this.paths = new ZkPaths(cluster);
    }

    /** The stored id, created first if the cluster has none yet. */
    public String getOrCreate() {
        String path = paths.clusterId();
        try {
            try {
                return text(zk.getData().forPath(path));
            } catch (KeeperException.NoNodeException absent) {
                String id = UUID.randomUUID().toString();
                try {
                    zk.create().creatingParentsIfNeeded().forPath(path, id.getBytes(StandardCharsets.US_ASCII));
                    return id;
                } catch (KeeperException.NodeExistsException raced) {
                    return text(zk.getData().forPath(path));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MetadataException("interrupted while reading the cluster id at " + path, e);
        } catch (Exception e) {
            throw new MetadataException("cannot read or create the cluster id at " + path, e);
        }
    }

    private static String text(byte[] data) {
        return new String(data, StandardCharsets.US_ASCII).trim();
    }
}
