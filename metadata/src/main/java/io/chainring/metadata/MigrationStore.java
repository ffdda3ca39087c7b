package io.chainring.metadata;

import io.chainring.thrift.TMigration;
import io.chainring.thrift.TPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.curator.framework.CuratorFramework;
import org.apache.thrift.TBase;
import org.apache.thrift.TDeserializer;
import org.apache.thrift.TException;
import org.apache.thrift.TSerializer;
import org.apache.thrift.protocol.TCompactProtocol;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The rebalancing state of DESIGN §7 in ZooKeeper: the plan at {@code <cluster>/plan} (one at a
 * time, replaced only by compare-and-set on its znode version) and one record per partition
 * move under {@code <cluster>/migrations/}. Both Thrift-compact encoded, like the ring.
 */
public final class MigrationStore {
    private final CuratorFramework zk;
    private final ZkPaths paths;

    public MigrationStore(CuratorFramework zk, String cluster) {
        this.zk = zk;
        this.paths = new ZkPaths(cluster);
    }

    /** A plan with the znode version to compare-and-set against. */
    public record VersionedPlan(TPlan plan, int zkVersion) {
    }

    public Optional<VersionedPlan> readPlan() {
        Stat stat = new Stat();
        try {
            byte[] data = zk.getData().storingStatIn(stat).forPath(paths.plan());
            return Optional.of(new VersionedPlan(decode(new TPlan(), data), stat.getVersion()));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw MetadataException.failed("cannot read the plan at " + paths.plan(), e);
        }
    }

    /**
     * Stores {@code plan} if the plan znode is still as read: absent when {@code expectedVersion}
     * is empty, else at that version. Returns the new znode version.
     *
     * @throws PlanConflictException when another writer got there first
     */
    public int writePlan(TPlan plan, Optional<Integer> expectedVersion) throws PlanConflictException {
        byte[] data = encode(plan);
        try {
            if (expectedVersion.isEmpty()) {
                zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(paths.plan(), data);
                return 0;
            }
            return zk.setData().withVersion(expectedVersion.get()).forPath(paths.plan(), data).getVersion();
        } catch (KeeperException.NodeExistsException | KeeperException.BadVersionException
                 | KeeperException.NoNodeException e) {
            throw new PlanConflictException("the plan at " + paths.plan() + " changed since it was read");
        } catch (Exception e) {
            throw MetadataException.failed("cannot write the plan at " + paths.plan(), e);
        }
    }

    /** Every move record, in no particular order. */
    public List<TMigration> migrations() {
        List<TMigration> out = new ArrayList<>();
        try {
            List<String> children;
            try {
                children = zk.getChildren().forPath(paths.migrations());
            } catch (KeeperException.NoNodeException e) {
                return out;
            }
            for (String id : children) {
                try {
                    out.add(decode(new TMigration(), zk.getData().forPath(paths.migration(id))));
                } catch (KeeperException.NoNodeException gone) {
                    // deleted between the listing and the read: pruned, nothing to show
                }
            }
            return out;
        } catch (Exception e) {
            throw MetadataException.failed("cannot read migrations under " + paths.migrations(), e);
        }
    }

    /** Creates or replaces one move record (only the controller leader writes them). */
    public void writeMigration(TMigration m) {
        byte[] data = encode(m);
        String path = paths.migration(m.getId());
        try {
            try {
                zk.setData().forPath(path, data);
            } catch (KeeperException.NoNodeException absent) {
                zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, data);
            }
        } catch (Exception e) {
            throw MetadataException.failed("cannot write migration " + path, e);
        }
    }

    public void deleteMigration(String id) {
        try {
            zk.delete().forPath(paths.migration(id));
        } catch (KeeperException.NoNodeException gone) {
            // already deleted: the wanted state
        } catch (Exception e) {
            throw MetadataException.failed("cannot delete migration " + paths.migration(id), e);
        }
    }

    private static byte[] encode(TBase<?, ?> t) {
        try {
            return new TSerializer(new TCompactProtocol.Factory()).serialize(t);
        } catch (TException e) {
            throw new MetadataException("cannot encode " + t.getClass().getSimpleName(), e);
        }
    }

    private static <T extends TBase<?, ?>> T decode(T into, byte[] data) {
        try {
            new TDeserializer(new TCompactProtocol.Factory()).deserialize(into, data);
            return into;
        } catch (TException e) {
            throw new MetadataException("cannot decode " + into.getClass().getSimpleName(), e);
        }
    }
}
