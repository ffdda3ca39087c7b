package io.chainring.datanode.server;

import io.chainring.ring.Chain;
import io.chainring.ring.NodeId;
import io.chainring.ring.Partition;
import io.chainring.ring.Ring;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.Unavailable;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routing and fencing of requests (DESIGN §6.5): picks the ring to judge a request by, and
 * rejects requests routed with an epoch older than the partition's last chain change or sent
 * to a node that does not hold the role the request needs.
 */
final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    /** How long a request showing a newer epoch waits for this node's ring watch to deliver it. */
    static final java.time.Duration WATCH_GRACE = java.time.Duration.ofMillis(100);

    private final NodeId self;
    private final RingView view;
    private final BooleanSupplier storageHealthy;

    Router(NodeId self, RingView view, BooleanSupplier storageHealthy) {
        this.self = Objects.requireNonNull(self, "self");
        this.view = Objects.requireNonNull(view, "view");
        this.storageHealthy = Objects.requireNonNull(storageHealthy, "storageHealthy");
    }

    NodeId self() {
        return self;
    }

    /** The node's ring if it may serve, refreshed first when the client has seen a newer epoch. */
    Ring ringFor(long clientEpoch) throws NotServing {
        Ring ring = servingRing();
        if (clientEpoch > ring.epoch()) {
            // the client saw the new ring at another node; this node's watch is usually just behind:
            // a short wait spares a ZooKeeper read, and the client a refusal and a backoff
            Optional<Ring> arrived = view.awaitEpoch(clientEpoch, WATCH_GRACE);
            if (arrived.isPresent()) {
                return arrived.get();
            }
            ring = servingRing();
        }
        if (clientEpoch > ring.epoch()) {
            Ring before = ring;
            Optional<Ring> refreshed;
            try {
                refreshed = view.refresh();
            } catch (RuntimeException e) {
                LOG.warn("node {}: cannot refresh ring (client has epoch {}, node {}): {}", self, clientEpoch, ring.epoch(), e.toString());
                throw Errors.notServing("node " + self + " cannot refresh its ring (epoch " + ring.epoch()
                        + ", client has " + clientEpoch + "): " + e.getMessage());
            }
            ring = refreshed.filter(r -> r.epoch() > before.epoch()).orElse(before);
            if (clientEpoch > ring.epoch()) {
                // the client claims a ring the node cannot see: judging it by an older ring could
                // let this node act in a role it has lost, so refuse rather than guess
                throw Errors.notServing("node " + self + " has ring epoch " + ring.epoch()
                        + ", older than the client's " + clientEpoch + ", even after re-reading it; retry");
            }
        }
        return ring;
    }

    /** The node's ring if it may serve at all. */
    Ring servingRing() throws NotServing {
        if (!view.serving()) {
            throw Errors.notServing("node " + self + " is not serving: not connected to ZooKeeper or no current ring");
        }
        if (!storageHealthy.getAsBoolean()) {
            throw Errors.notServing("node " + self + " is not serving: its storage has failed");
        }
        return view.current().orElseThrow(() -> Errors.notServing("node " + self + " has no ring yet"));
    }

    /**
     * Refuses an incoming batch of writes while this node itself refuses writes (at its disk
     * limit), with the reason, before JE is touched: the sender logs why instead of an internal error.
     */
    void checkTakesWrites() throws NotServing {
        Optional<String> refusal = view.writeRefusal(self);
        if (refusal.isPresent()) {
            throw Errors.notServing(refusal.get());
        }
    }

    /**
     * The partition if this node may serve the access to it under the client's epoch.
     *
     * @throws StaleRouting when the client's epoch predates the partition's chain, or this node
     *                      is not where the request belongs (not the head for a write, not in the chain)
     * @throws Unavailable  when the partition has no chain at all
     */
    Partition route(Ring ring, long clientEpoch, int partitionId, Access access) throws StaleRouting, Unavailable, InvalidRequest {
        if (partitionId < 0 || partitionId >= ring.partitionCount()) {
            throw Errors.invalid("partition " + partitionId + " is out of range 0.." + (ring.partitionCount() - 1));
        }
        Partition p = ring.partition(partitionId);
        if (clientEpoch < p.changedAt()) {
            throw Errors.stale("client ring epoch " + clientEpoch + " is older than partition " + partitionId
                    + "'s chain, which changed at epoch " + p.changedAt(), ring);
        }
        Chain chain = p.chain();
        if (chain.isEmpty()) {
            throw Errors.unavailable("partition " + partitionId + " has no replicas at ring epoch " + ring.epoch());
        }
        if (access == Access.WRITE && !chain.head().equals(self)) {
            throw Errors.stale("node " + self + " is not the head of partition " + partitionId + " (chain " + chain
                    + " at epoch " + ring.epoch() + "); writes go to " + chain.head(), ring);
        }
        if (access == Access.WRITE && chain.length() < ring.minChainForWrites()) {
            // DESIGN §6.4: an acknowledged write must sit on enough replicas to survive a failure
            throw Errors.unavailable("chain of partition " + partitionId + " has " + chain.length() + " of "
                    + ring.replication() + " replicas; writes need " + ring.minChainForWrites());
        }
        if (access == Access.WRITE) {
            // a chain member at its disk limit would stall every write of the chain until it timed out
            // with an unknown outcome (issue 12 defect 5): refuse it before anything is applied
            for (NodeId member : chain.members()) {
                Optional<String> refusal = view.writeRefusal(member);
                if (refusal.isPresent()) {
                    throw Errors.unavailable("partition " + partitionId + " takes no writes now: its chain " + chain
                            + " needs " + member + ", which refuses them (" + refusal.get() + "); nothing was applied");
                }
            }
        }
        if (access == Access.READ && !chain.contains(self)) {
            String why = p.learners().contains(self) ? " (it is a learner, still catching up; learners serve no reads)" : "";
            throw Errors.stale("node " + self + " is not in the chain of partition " + partitionId + " (chain " + chain
                    + " at epoch " + ring.epoch() + ")" + why, ring);
        }
        return p;
    }
}
