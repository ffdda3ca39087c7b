package io.chainring.metadata;

import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The ring znode. Every write is a compare-and-set on the znode version the writer read, so
 * a deposed controller cannot overwrite a newer ring (DESIGN §1, §6.4).
 */
public final class RingStore {
    private final CuratorFramework zk;
    private final ZkPaths paths;

    public RingStore(CuratorFramework zk, String cluster) {
        this.zk = zk;
        this.paths = new ZkPaths(cluster);
    }

    public Optional<VersionedRing> read() {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData().storingStatIn(stat).forPath(paths.ring());
            return Optional.of(new VersionedRing(RingCodec.fromBytes(data), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw MetadataException.failed("cannot read ring at " + paths.ring(), e);
        }
    }

    /** Writes the first ring; fails if a ring already exists. Returns the znode version. */
    public int create(Ring ring) throws RingConflictException {
        try {
            zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT)
                    .forPath(paths.ring(), RingCodec.toBytes(ring));
            return 0;
        } catch (KeeperException.NodeExistsException e) {
            throw new RingConflictException("a ring already exists at " + paths.ring());
        } catch (Exception e) {
            throw MetadataException.failed("cannot create ring at " + paths.ring(), e);
        }
    }

    /**
     * Replaces the ring if its znode version is still {@code expectedZkVersion}; returns the new
     * version. The new ring's epoch must be higher than the one it replaces.
     */
    public int compareAndSet(Ring ring, int expectedZkVersion) throws RingConflictException {
        try {
            Stat stat = zk.setData().withVersion(expectedZkVersion).forPath(paths.ring(), RingCodec.toBytes(ring));
            return stat.getVersion();
        } catch (KeeperException.BadVersionException e) {
            throw new RingConflictException("ring changed since version " + expectedZkVersion
                    + " was read; not writing epoch " + ring.epoch());
        } catch (KeeperException.NoNodeException e) {
            throw new RingConflictException("no ring at " + paths.ring() + " to replace");
        } catch (Exception e) {
            throw MetadataException.failed("cannot write ring epoch " + ring.epoch(), e);
        }
    }
}
