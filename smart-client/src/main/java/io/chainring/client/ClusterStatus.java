package io.chainring.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The cluster as the controller leader reports it ({@link AdminClient#status()}).
 *
 * @param cluster        the cluster's name
 * @param epoch          the current ring epoch
 * @param partitionCount the number of partitions
 * @param replication    the target chain length
 * @param controller     host:port of the controller that answered (the leader)
 * @param nodes          every registered datanode
 */
public record ClusterStatus(String cluster, long epoch, int partitionCount, int replication,
                            String controller, List<NodeStatus> nodes) {
    public ClusterStatus {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(controller, "controller");
        nodes = List.copyOf(nodes);
    }

    /** The node with this id, if registered. */
    public Optional<NodeStatus> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }
}
