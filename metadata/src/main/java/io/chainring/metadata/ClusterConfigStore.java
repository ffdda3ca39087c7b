package io.chainring.metadata;

import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/** The cluster's {@code config} znode: created once, then only read. */
public final class ClusterConfigStore {
    private final CuratorFramework zk;
    private final ZkPaths paths;

    public ClusterConfigStore(CuratorFramework zk, String cluster) {
        this.zk = zk;
        this.paths = new ZkPaths(cluster);
    }

    public Optional<ClusterConfig> read() {
        try {
            return Optional.of(ClusterConfig.fromBytes(zk.getData().forPath(paths.config())));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw MetadataException.failed("cannot read cluster config at " + paths.config(), e);
        }
    }

    /**
     * Creates the config if the cluster is new, else checks that the wanted one agrees with what
     * the cluster was created with. Returns the config in force.
     *
     * @throws IllegalStateException when the cluster exists with a different shape
     */
    public ClusterConfig createOrVerify(ClusterConfig wanted) {
        try {
            zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.config(), wanted.toBytes());
            return wanted;
        } catch (KeeperException.NodeExistsException exists) {
            ClusterConfig actual = read().orElseThrow(() -> new MetadataException("config vanished at " + paths.config()));
            if (!actual.equals(wanted)) {
                throw new IllegalStateException("cluster '" + paths.cluster() + "' was created with "
                        + actual.describe() + ", but this controller was started with " + wanted.describe());
            }
            return actual;
        } catch (Exception e) {
            throw MetadataException.failed("cannot create cluster config at " + paths.config(), e);
        }
    }
}
