package io.chainring.client.internal;

import io.chainring.client.RingRefreshCause;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs a single-key (or single-partition) operation to completion (DESIGN §6.5, STYLE "The client request path"):
 * route by the cached ring, send with the ring's epoch, and on failure either give up, retry on
 * another chain member (reads), or refresh the ring and retry (stale routing, writes to a head
 * that is down), within the retry budget and the deadline.
 *
 * <p>Non-blocking: each attempt is an async request ({@link AsyncNodeCaller}); the answer is handled
 * on the selector thread, a failure's reaction (which may refresh the ring, a blocking call) on the
 * {@code io} executor, and a backoff is a timer task, so no thread waits for a call in flight.
 *
 * <p>The sync API runs the same loop on the calling thread with blocking I/O ({@link NodeCaller}):
 * measured, that is faster for a thread that waits anyway than handing the call to the selector
 * thread and back (docs/PERFORMANCE.md, "Async client"). Both loops share the routing and the
 * reaction to failures ({@link #react}); only how an attempt is sent and how a backoff waits differ.
 */
public final class KeyCaller {
    private final RingCache rings;
    private final Router router;
    private final AsyncNodeCaller nodes;
    private final NodeCaller blockingNodes;
    private final RetryPolicy retry;
    private final Dispatcher threads;

    public KeyCaller(RingCache rings, Router router, AsyncNodeCaller nodes, NodeCaller blockingNodes, RetryPolicy retry,
                     Dispatcher threads) {
        this.rings = rings;
        this.router = router;
        this.nodes = nodes;
        this.blockingNodes = blockingNodes;
        this.retry = retry;
        this.threads = threads;
    }

    /**
     * Runs the call: on this thread with blocking I/O, returning a completed future, when
     * {@code blocking}; otherwise non-blocking ({@link #call(KeyRequest, Deadline)}).
     */
    public <T> CompletableFuture<T> call(KeyRequest<T> req, Deadline deadline, boolean blocking) {
        if (!blocking) {
            return call(req, deadline);
        }
        try {
            return CompletableFuture.completedFuture(callBlocking(req, deadline));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The blocking loop (the sync API). */
    public <T> T callBlocking(KeyRequest<T> req, Deadline deadline) {
        CallState st = new CallState(req.op(), req.op(), deadline, retry, nodes.listener());
        Set<NodeId> tried = new HashSet<>();
        while (true) {
            Ring ring = rings.current();
            int partition = req.partitionIn(ring);
            st.describe(req.describe(partition));
            Optional<NodeInfo> target = route(req, ring, partition, tried);
            Failure f;
            if (target.isEmpty()) {
                f = Failure.refusal(Failure.Kind.NO_ROUTE, "partition " + partition + " has no replicas in ring epoch " + ring.epoch());
                st.record("", f);
            } else {
                NodeInfo node = target.get();
                Attempt<T> a = blockingNodes.call(req.op(), node.id().toString(), node.address(), deadline,
                        c -> req.blockingSend().send(c.kv(), ring.epoch()));
                if (a.ok()) {
                    router.healthy(node.id());
                    rings.observe(req.epochOf().applyAsLong(a.value()), threads.io());
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

    private Optional<NodeInfo> route(KeyRequest<?> req, Ring ring, int partition, Set<NodeId> tried) {
        return switch (req.target()) {
            case HEAD -> router.head(ring, partition);
            case TAIL -> router.tail(ring, partition);
            case ANY -> router.reader(ring, partition, tried);
        };
    }

    /**
     * Starts the call. The future completes (on a client thread) with the answer or the
     * {@link io.chainring.client.ChainringException} that ends the call; never later than the deadline,
     * give or take the selector's timing.
     */
    public <T> CompletableFuture<T> call(KeyRequest<T> req, Deadline deadline) {
        Run<T> run = new Run<>(req, new CallState(req.op(), req.op(), deadline, retry, nodes.listener()));
        run.attempt();
        return run.result;
    }

    /** One call across its attempts; its steps run one after the other, on whichever thread. */
    private final class Run<T> {
        private final KeyRequest<T> req;
        private final CallState st;
        private final Set<NodeId> tried = new HashSet<>();
        private final CompletableFuture<T> result = new CompletableFuture<>();

        Run(KeyRequest<T> req, CallState st) {
            this.req = req;
            this.st = st;
        }

        void attempt() {
            try {
                Ring ring = rings.current();
                int partition = req.partitionIn(ring);
                st.describe(req.describe(partition));
                Optional<NodeInfo> target = route(req, ring, partition, tried);
                if (target.isEmpty()) {
                    Failure f = Failure.refusal(Failure.Kind.NO_ROUTE, "partition " + partition + " has no replicas in ring epoch " + ring.epoch());
                    st.record("", f);
                    failed(f, ring, partition);
                    return;
                }
                NodeInfo node = target.get();
                nodes.<T>call(req.op(), node.id().toString(), node.address(), st.deadline(),
                        (kv, cb) -> req.send().send(kv, ring.epoch(), cb)).whenComplete((a, error) -> {
                            if (error != null) {
                                result.completeExceptionally(error);
                            } else {
                                answered(a, node, ring, partition);
                            }
                        });
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        private void answered(Attempt<T> a, NodeInfo node, Ring ring, int partition) {
            try {
                if (a.ok()) {
                    router.healthy(node.id());
                    rings.observe(req.epochOf().applyAsLong(a.value()), threads.io());
                    result.complete(a.value());
                    return;
                }
                Failure f = a.failure();
                st.record(node.id() + "@" + node.address(), f);
                tried.add(node.id());
                if (f.nodeSuspect()) {
                    router.suspect(node.id());
                }
                failed(f, ring, partition);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        private void failed(Failure f, Ring ring, int partition) {
            if (f.kind() == Failure.Kind.TIMEOUT) {
                result.completeExceptionally(st.timeout());
                return;
            }
            if (!f.retryable() || (f.outcomeUnknown() && !req.retryAfterUnknownOutcome())) {
                result.completeExceptionally(st.fail());
                return;
            }
            threads.afterFailure(st,
                    () -> react(f, ring, req.target() != KeyRequest.Target.ANY, partition, tried, st.deadline()),
                    this::attempt, result);
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
                rings.observe(Long.MAX_VALUE, threads.io());
                yield ring.partition(partition).chain().members().stream().anyMatch(m -> !tried.contains(m));
            }
            default -> false;
        };
    }
}
