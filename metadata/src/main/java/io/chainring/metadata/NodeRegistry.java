package io.chainring.metadata;

import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * Datanode registrations: a persistent {@code nodes/<id>} (address, zone, state) that outlives
 * the process, and an ephemeral {@code live/<id>} present while its ZooKeeper session lives.
 */
public final class NodeRegistry {
    private final CuratorFramework zk;
    private final ZkPaths paths;

    public NodeRegistry(CuratorFramework zk, String cluster) {
        this.zk = zk;
        this.paths = new ZkPaths(cluster);
    }

    public ZkPaths paths() {
        return paths;
    }

    /**
     * Registers a node or refreshes its address and zone. A known node keeps its stored state
     * (a restarted ACTIVE node stays ACTIVE); a new one is stored as given. Returns what is stored.
     */
    public NodeInfo register(NodeInfo node) {
        String path = paths.node(node.id());
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                Stat stat = new Stat();
                byte[] old;
                try {
                    old = zk.getData().storingStatIn(stat).forPath(path);
                } catch (KeeperException.NoNodeException e) {
                    try {
                        zk.create().creatingParentsIfNeeded().withMode(CreateMode.PERSISTENT).forPath(path, NodeCodec.toBytes(node));
                        return node;
                    } catch (KeeperException.NodeExistsException raced) {
                        continue;
                    }
                }
                NodeInfo stored = NodeCodec.fromBytes(old);
                NodeInfo updated = new NodeInfo(node.id(), node.address(), node.zone(), stored.state());
                zk.setData().withVersion(stat.getVersion()).forPath(path, NodeCodec.toBytes(updated));
                return updated;
            } catch (KeeperException.BadVersionException raced) {
                // someone changed the registration between our read and write: read again
            } catch (Exception e) {
                throw new MetadataException("cannot register node " + node.id(), e);
            }
        }
        throw new MetadataException("cannot register node " + node.id() + ": too many concurrent updates");
    }

    public Optional<NodeInfo> node(NodeId id) {
        try {
            return Optional.of(NodeCodec.fromBytes(zk.getData().forPath(paths.node(id))));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (Exception e) {
            throw new MetadataException("cannot read node " + id, e);
        }
    }

    /** Every registered node, ordered by id. */
    public List<NodeInfo> nodes() {
        List<NodeInfo> out = new ArrayList<>();
        for (String child : children(paths.nodes())) {
            node(new NodeId(child)).ifPresent(out::add);
        }
        return out;
    }

    /** Ids of nodes whose session is alive now. */
    public Set<NodeId> liveNodes() {
        Set<NodeId> out = new TreeSet<>();
        for (String child : children(paths.live())) {
            out.add(new NodeId(child));
        }
        return out;
    }

    /** Sets a node's lifecycle state (controller only). */
    public NodeInfo setState(NodeId id, NodeState state) {
        String path = paths.node(id);
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                Stat stat = new Stat();
                NodeInfo stored = NodeCodec.fromBytes(zk.getData().storingStatIn(stat).forPath(path));
                NodeInfo updated = stored.withState(state);
                zk.setData().withVersion(stat.getVersion()).forPath(path, NodeCodec.toBytes(updated));
                return updated;
            } catch (KeeperException.BadVersionException raced) {
                // re-read and retry
            } catch (KeeperException.NoNodeException e) {
                throw new MetadataException("unknown node " + id);
            } catch (Exception e) {
                throw new MetadataException("cannot set state of node " + id, e);
            }
        }
        throw new MetadataException("cannot set state of node " + id + ": too many concurrent updates");
    }

    /**
     * Announces the node as live: an ephemeral znode that Curator re-creates after a session
     * loss. Closing it removes the znode, or leaves it to the session's end when ZooKeeper is out of reach.
     */
    public LiveRegistration goLive(NodeId id) {
        PersistentNode node = new PersistentNode(zk, CreateMode.EPHEMERAL, false, paths.liveNode(id), new byte[0]);
        node.start();
        return new LiveRegistration(zk, node, paths.liveNode(id));
    }

    private List<String> children(String path) {
        try {
            List<String> names = new ArrayList<>(zk.getChildren().forPath(path));
            names.sort(null);
            return names;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw new MetadataException("cannot list " + path, e);
        }
    }
}
