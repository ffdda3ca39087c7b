package io.chainring.client;

import java.util.Objects;

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
 */
public record NodeStatus(String id, String address, String zone, String state, boolean live,
                         int partitions, int heads, int tails) {
    public NodeStatus {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(state, "state");
    }
}
