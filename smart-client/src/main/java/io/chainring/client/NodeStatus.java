package io.chainring.client;

import java.util.Objects;
import java.util.Optional;

/**
 * One datanode as the controller sees it.
 *
 * @param id         the node's stable id
 * @param address    host:port of its Thrift service
 * @param zone       its failure zone
 * @param state      its lifecycle state: NEW, JOINING, ACTIVE, DECOMMISSIONING or REMOVED (a string
 *                   so that a newer server's states do not break an older client)
 * @param live       whether its ZooKeeper session is alive
 * @param partitions how many partition replicas it holds
 * @param heads      how many of those chains it heads
 * @param tails      how many of those chains it ends
 * @param writeRefusal why the node refuses writes now (it is at its free-disk limit), if it does;
 *                   reads go on, and the controller takes it out of the chains that can write without it
 */
public record NodeStatus(String id, String address, String zone, String state, boolean live,
                         int partitions, int heads, int tails, Optional<String> writeRefusal) {
    public NodeStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(writeRefusal, "writeRefusal");
    }

    /** A node that takes writes (no refusal). */
    public NodeStatus(String id, String address, String zone, String state, boolean live, int partitions, int heads, int tails) {
        this(id, address, zone, state, live, partitions, heads, tails, Optional.empty());
    }
}
