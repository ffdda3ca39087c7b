package io.chainring.client;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The ring as the controller leader holds it ({@link AdminClient#ring()}).
 *
 * @param cluster        the cluster's name
 * @param epoch          the ring epoch
 * @param partitionCount the number of partitions
 * @param replication    the target chain length
 * @param nodes          the nodes the chains name
 * @param partitions     every partition, in id order
 */
public record RingSnapshot(String cluster, long epoch, int partitionCount, int replication,
                           List<Node> nodes, List<PartitionChain> partitions) {
    public RingSnapshot {
        Objects.requireNonNull(cluster, "cluster");
        nodes = List.copyOf(nodes);
        partitions = List.copyOf(partitions);
    }

    /** The node with this id, if the ring names it. */
    public Optional<Node> node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst();
    }

    /**
     * A node of the ring.
     *
     * @param id      the node's stable id
     * @param address host:port
     * @param zone    its failure zone
     * @param state   its lifecycle state (see {@link NodeStatus#state()})
     */
    public record Node(String id, String address, String zone, String state) {
        public Node {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(zone, "zone");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * One partition's chain.
     *
     * @param id        the partition id, 0..partitionCount-1
     * @param chain     node ids from head to tail (empty while unassigned)
     * @param changedAt the ring epoch at which this chain last changed
     */
    public record PartitionChain(int id, List<String> chain, long changedAt) {
        public PartitionChain {
            chain = List.copyOf(chain);
        }

        /** The head's node id, if the chain has members. */
        public Optional<String> head() {
            return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(0));
        }

        /** The tail's node id, if the chain has members. */
        public Optional<String> tail() {
            return chain.isEmpty() ? Optional.empty() : Optional.of(chain.get(chain.size() - 1));
        }
    }
}
