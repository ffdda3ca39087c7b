package io.chainring.client.internal;

import io.chainring.client.RingRefreshCause;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Runs a single-key (or single-partition) operation to completion (DESIGN §6.5, STYLE "The client request path"):
 * route by the cached ring, send with the ring's epoch, and on failure either give up, retry on
 * another chain member (reads), or refresh the ring and retry (stale routing, writes to a head
 * that is down), within the retry budget and the deadline.
 */
public final class KeyCaller {
    private final RingCache rings;
    private final Router router;
    private final NodeCaller nodes;
    private final RetryPolicy retry;
    private final Executor background;

    public KeyCaller(RingCache rings, Router router, NodeCaller nodes, RetryPolicy retry, Executor background) {
        this.rings = rings;
        this.router = router;
        this.nodes = nodes;
        this.retry = retry;
        this.background = background;
    }

    public <T> T call(KeyRequest<T> req, Deadline deadline) {
        CallState st = new CallState(req.op(), req.op(), deadline, retry, nodes.listener());
        Set<NodeId> tried = new HashSet<>();
        while (true) {
            Ring ring = rings.current();
            int partition = req.partitionIn(ring);
            st.describe(req.describe(partition));
            Optional<NodeInfo> target = switch (req.target()) {
                case HEAD -> router.head(ring, partition);
                case TAIL -> router.tail(ring, partition);
                case ANY -> router.reader(ring, partition, tried);
            };
            Failure f;
            if (target.isEmpty()) {
                f = Failure.refusal(Failure.Kind.NO_ROUTE, "partition " + partition + " has no replicas in ring epoch " + ring.epoch());
                st.record("", f);
            } else {
                NodeInfo node = target.get();
                Attempt<T> a = nodes.call(req.op(), node.id().toString(), node.address(), deadline,
                        c -> req.send().send(c.kv(), ring.epoch()));
                if (a.ok()) {
                    router.healthy(node.id());
                    rings.observe(req.epochOf().applyAsLong(a.value()), background);
                    return a.value();
                }
                f = a.failure();
                st.record(node.id() + "@" + node.address(), f);
                tried.add(node.id());
                if (f.nodeSuspect()) {
                    router.suspect(node.id());
                }
            }
            if (f.kind() == Failure.Kind.TIMEOUT) {
                throw st.timeout();
            }
            if (!f.retryable() || (f.outcomeUnknown() && !req.retryAfterUnknownOutcome())) {
                throw st.fail();
            }
            boolean learned = react(f, ring, req.target() != KeyRequest.Target.ANY, partition, tried, deadline);
            if (!st.nextAttempt(!learned)) {
                throw st.fail();
            }
        }
    }

    /**
     * Acts on a retryable failure.
     *
     * @param fixedMember whether only one member may take the request (the head, or the tail)
     * @return true when the next attempt can go at once (a newer ring, or an untried replica)
     */
    private boolean react(Failure f, Ring ring, boolean fixedMember, int partition, Set<NodeId> tried, Deadline deadline) {
        return switch (f.kind()) {
            case STALE_ROUTING -> rings.install(f.ring())
                    || (f.nodeEpoch() > ring.epoch() && rings.refresh(ring.epoch(), deadline, RingRefreshCause.STALE_ROUTING))
                    || rings.epoch() > ring.epoch();
            case NO_ROUTE -> rings.refresh(ring.epoch(), deadline, RingRefreshCause.REQUEST_FAILED);
            case NOT_SERVING, CONNECT_FAILED, BROKEN -> {
                if (fixedMember) {
                    // the head (or tail) is down: only a newer ring names another one
                    yield rings.refresh(ring.epoch(), deadline, RingRefreshCause.REQUEST_FAILED);
                }
                rings.observe(Long.MAX_VALUE, background);
                yield ring.partition(partition).chain().members().stream().anyMatch(m -> !tried.contains(m));
            }
            default -> false;
        };
    }
}
