package io.chainring.metadata;

import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.NodeState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
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
                throw MetadataException.failed("cannot register node " + node.id(), e);
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
            throw MetadataException.failed("cannot read node " + id, e);
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
                throw MetadataException.failed("cannot set state of node " + id, e);
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

    /**
     * Claims {@code live/<id>} for this process and keeps it while the session lives (re-created
     * after a session loss). {@code incarnation} names the claimant's data directory: a live znode
     * left by an earlier run on the same data directory (a restart before its session expired) is
     * taken over, so a node restarted in place stays in its chains. A znode held by another
     * session with another incarnation is another process running under this id: the claim waits
     * up to {@code waitForOther} for it to go (a crashed process's session expiring) and then
     * fails, before anything of the other node's registration is changed.
     *
     * @throws NodeIdInUseException when another process holds the id
     */
    public LiveRegistration claimLive(NodeId id, String incarnation, Duration waitForOther) throws InterruptedException {
        String path = paths.liveNode(id);
        byte[] mark = incarnation.getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + waitForOther.toNanos();
        long adoptedSession = 0;
        try {
            while (true) {
                try {
                    zk.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, mark);
                    break;
                } catch (KeeperException.NodeExistsException held) {
                    Stat stat = new Stat();
                    byte[] data;
                    try {
                        data = zk.getData().storingStatIn(stat).forPath(path);
                    } catch (KeeperException.NoNodeException gone) {
                        continue;
                    }
                    if (stat.getEphemeralOwner() == sessionId() || Arrays.equals(data, mark)) {
                        adoptedSession = stat.getEphemeralOwner();
                        break;
                    }
                    if (System.nanoTime() - deadline >= 0) {
                        throw new NodeIdInUseException("node id " + id + " is live under another ZooKeeper session (0x"
                                + Long.toHexString(stat.getEphemeralOwner()) + ", data directory id "
                                + new String(data, StandardCharsets.UTF_8) + "): another datanode runs with this --id; "
                                + "stop it, or give this one another id (waited " + waitForOther.toMillis() + " ms for it to go)");
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException | NodeIdInUseException e) {
            throw e;
        } catch (Exception e) {
            throw new MetadataException("cannot claim " + path, e);
        }
        PersistentNode node = new PersistentNode(zk, CreateMode.EPHEMERAL, false, path, mark);
        LiveRegistration registration = new LiveRegistration(zk, node, path, adoptedSession, true);
        node.start();
        return registration;
    }

    private long sessionId() throws Exception {
        return zk.getZookeeperClient().getZooKeeper().getSessionId();
    }

    private List<String> children(String path) {
        try {
            List<String> names = new ArrayList<>(zk.getChildren().forPath(path));
            names.sort(null);
            return names;
        } catch (KeeperException.NoNodeException e) {
            return List.of();
        } catch (Exception e) {
            throw MetadataException.failed("cannot list " + path, e);
        }
    }
}
