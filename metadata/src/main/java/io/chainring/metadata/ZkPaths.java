package io.chainring.metadata;

import io.chainring.ring.NodeId;
import java.util.Objects;
import java.util.regex.Pattern;

/** The ZooKeeper layout of one cluster (DESIGN §4), all under {@code /chainring/<cluster>}. */
public final class ZkPaths {
    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String cluster;
    private final String root;

    public ZkPaths(String cluster) {
        Objects.requireNonNull(cluster, "cluster");
        if (!CLUSTER_NAME.matcher(cluster).matches()) {
            throw new IllegalArgumentException("invalid cluster name '" + cluster
                    + "': 1-64 letters, digits, '.', '_' or '-'");
        }
        this.cluster = cluster;
        this.root = "/chainring/" + cluster;
    }

    public String cluster() {
        return cluster;
    }

    public String root() {
        return root;
    }

    /** Persistent: partition count, replication factor, defaults. */
    public String config() {
        return root + "/config";
    }

    /**
     * Persistent, created once by the first process that needs it: a random id naming this
     * cluster's metadata, stamped into every datanode's data directory so that a data directory
     * is never served under another cluster (DESIGN: Node identity).
     */
    public String clusterId() {
        return root + "/cluster-id";
    }

    /** Persistent: the ring, Thrift-compact encoded, written with CAS on the znode version. */
    public String ring() {
        return root + "/ring";
    }

    /** Parent of the persistent registrations. */
    public String nodes() {
        return root + "/nodes";
    }

    public String node(NodeId id) {
        return nodes() + "/" + id.value();
    }

    /** Parent of the ephemeral liveness znodes. */
    public String live() {
        return root + "/live";
    }

    public String liveNode(NodeId id) {
        return live() + "/" + id.value();
    }

    /** Curator leader latch of the controllers; each participant's id is its admin host:port. */
    public String controllerLatch() {
        return root + "/controller/latch";
    }

    /** Parent of the persistent partition-move records (§7), one child per move, Thrift-compact {@code TMigration}. */
    public String migrations() {
        return root + "/migrations";
    }

    public String migration(String id) {
        return migrations() + "/" + id;
    }

    /** Persistent: the plan being carried out, or the last one (Thrift-compact {@code TPlan}). */
    public String plan() {
        return root + "/plan";
    }

    /** Persistent: the catch-up stream throttle per node, bytes per second as decimal text (0 = unlimited). */
    public String throttle() {
        return root + "/throttle";
    }

    /**
     * Parent of the ephemeral write refusals: {@code write-refusals/<id>} exists while that node
     * refuses writes (below its free-disk limit), holding the reason as UTF-8 text.
     */
    public String writeRefusals() {
        return root + "/write-refusals";
    }

    public String writeRefusal(NodeId id) {
        return writeRefusals() + "/" + id.value();
    }
}
