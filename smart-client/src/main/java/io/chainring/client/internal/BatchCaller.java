package io.chainring.client.internal;

import io.chainring.client.RingRefreshCause;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one group of a multi-key operation to completion: sends the keys grouped per node (the
 * partition's head for writes, a chain member for reads) and retries the keys whose node failed,
 * regrouped by the then current ring, within the retry budget and the deadline. Groups are sent
 * one after the other here; {@link MultiOps} runs the first grouping's groups in parallel. All of
 * it non-blocking (async requests on the selector thread).
 */
public final class BatchCaller {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCaller.class);
    private final RingCache rings;
    private final Router router;
    private final AsyncNodeCaller nodes;
    private final RetryPolicy retry;
    private final Dispatcher threads;

    public BatchCaller(RingCache rings, Router router, AsyncNodeCaller nodes, RetryPolicy retry, Dispatcher threads) {
        this.rings = rings;
        this.router = router;
        this.nodes = nodes;
        this.retry = retry;
        this.threads = threads;
    }

    /**
     * The keys' indices grouped by the node to send them to; keys whose partition has no replica
     * in this ring are grouped under {@link Optional#empty()}.
     */
    public Map<Optional<NodeInfo>, List<Integer>> group(BatchRequest<?> req, Ring ring, List<Integer> indices, Set<NodeId> avoid) {
        Map<Optional<NodeInfo>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i : indices) {
            int p = ring.partitionOf(req.keys().get(i));
            Optional<NodeInfo> node = req.write() ? router.head(ring, p) : router.reader(ring, p, avoid);
            groups.computeIfAbsent(node, n -> new ArrayList<>()).add(i);
        }
        return groups;
    }

    /**
     * Answers for the given indices, by index. A read group the node refuses as invalid is split
     * in halves and resent (without using a retry), so an answer too big for one frame is fetched
     * in parts and a bad key is singled out in the error. Non-blocking: answers are handled on the
     * selector thread, a failure's reaction (which may fetch a ring) on the {@code io} executor,
     * a backoff is a timer task.
     *
     * @param first where to send every key in the first round (the caller's grouping), or empty to group here
     */
    public <E> CompletableFuture<Map<Integer, E>> call(BatchRequest<E> req, List<Integer> indices, Optional<NodeInfo> first,
                                                       Deadline deadline) {
        Run<E> run = new Run<>(req, indices, first,
                new CallState(req.op(), req.op() + " of " + indices.size() + " key(s)", deadline, retry, nodes.listener()));
        run.round();
        return run.result;
    }

    /** One batch across its rounds; a round sends its groups one after the other. Steps run one at a time. */
    private final class Run<E> {
        private final BatchRequest<E> req;
        private final CallState st;
        private final Map<Integer, E> results = new HashMap<>();
        private final Set<Integer> pending;
        private final Set<NodeId> failed = new HashSet<>();
        private final CompletableFuture<Map<Integer, E>> result = new CompletableFuture<>();
        private Optional<NodeInfo> first;
        private Ring ring;
        private Deque<Map.Entry<Optional<NodeInfo>, List<Integer>>> groups;
        private Failure roundFailure;
        private boolean learned;
        /** This round's retryable failures, acted on when the round ends. */
        private final List<Failure> reactions = new ArrayList<>();

        Run(BatchRequest<E> req, List<Integer> indices, Optional<NodeInfo> first, CallState st) {
            this.req = req;
            this.st = st;
            this.first = first;
            this.pending = new LinkedHashSet<>(indices);
        }

        void round() {
            try {
                ring = rings.current();
                roundFailure = null;
                learned = false;
                groups = new ArrayDeque<>(first.isPresent()
                        ? Map.of(first, List.copyOf(pending)).entrySet()
                        : group(req, ring, List.copyOf(pending), failed).entrySet());
                first = Optional.empty();
                nextGroup();
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }

        private void nextGroup() {
            Map.Entry<Optional<NodeInfo>, List<Integer>> g = groups.pollFirst();
            if (g == null) {
                endRound();
                return;
            }
            send(req, ring, g.getKey(), g.getValue(), st.deadline(), results).whenComplete((gf, error) -> {
                if (error != null) {
                    result.completeExceptionally(error);
                    return;
                }
                try {
                    if (groupDone(g, gf)) {
                        nextGroup();
                    }
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        }

        /** Books a group's outcome; false when the call ended. */
        private boolean groupDone(Map.Entry<Optional<NodeInfo>, List<Integer>> g, Failure gf) {
            if (gf == null) {
                pending.removeAll(g.getValue());
                return true;
            }
            if (gf.kind() == Failure.Kind.INVALID_REQUEST && !req.write() && g.getValue().size() > 1) {
                List<Integer> all = g.getValue();
                LOG.debug("{}: {} keys refused ({}); sending them in halves", req.op(), all.size(), gf.message());
                groups.addFirst(Map.entry(g.getKey(), all.subList(all.size() / 2, all.size())));
                groups.addFirst(Map.entry(g.getKey(), all.subList(0, all.size() / 2)));
                return true;
            }
            roundFailure = gf;
            g.getKey().ifPresent(n -> failed.add(n.id()));
            st.record(g.getKey().map(n -> n.id() + "@" + n.address()).orElse(""), gf);
            if (gf.kind() == Failure.Kind.TIMEOUT) {
                result.completeExceptionally(st.timeout());
                return false;
            }
            if (!gf.retryable()) {
                result.completeExceptionally(st.fail());
                return false;
            }
            reactions.add(gf);
            return true;
        }

        private void endRound() {
            if (pending.isEmpty()) {
                result.complete(results);
                return;
            }
            if (roundFailure == null) {
                result.completeExceptionally(new IllegalStateException("keys pending without a failure"));
                return;
            }
            List<Failure> toReact = List.copyOf(reactions);
            reactions.clear();
            Ring before = ring;
            threads.afterFailure(st, () -> {
                for (Failure f : toReact) {
                    learned |= react(f, before, req.write(), failed, st.deadline());
                }
                return learned;
            }, this::round, result);
        }
    }

    /** Sends one group; fills {@code results} and completes with null, or with the failure. */
    private <E> CompletableFuture<Failure> send(BatchRequest<E> req, Ring ring, Optional<NodeInfo> target, List<Integer> indices,
                                                Deadline deadline, Map<Integer, E> results) {
        if (target.isEmpty()) {
            return CompletableFuture.completedFuture(Failure.refusal(Failure.Kind.NO_ROUTE,
                    indices.size() + " key(s) in partitions without replicas in ring epoch " + ring.epoch()));
        }
        NodeInfo node = target.get();
        return nodes.<BatchRequest.Answers<E>>call(req.op(), node.id().toString(), node.address(), deadline,
                (kv, cb) -> req.send().send(kv, ring.epoch(), indices, cb)).thenApply(a -> {
                    if (!a.ok()) {
                        if (a.failure().nodeSuspect()) {
                            router.suspect(node.id());
                        }
                        return a.failure();
                    }
                    List<E> values = a.value().values();
                    if (values.size() != indices.size()) {
                        return Failure.of(Failure.Kind.INTERNAL, node.id() + " answered " + values.size() + " results for "
                                + indices.size() + " keys", null, req.write());
                    }
                    for (int j = 0; j < indices.size(); j++) {
                        results.put(indices.get(j), values.get(j));
                    }
                    router.healthy(node.id());
                    rings.observe(a.value().ringEpoch(), threads.io());
                    return null;
                });
    }

    /** Acts on a retryable failure; true when the next round can go at once. */
    private boolean react(Failure f, Ring ring, boolean write, Set<NodeId> failed, Deadline deadline) {
        return switch (f.kind()) {
            case STALE_ROUTING -> rings.install(f.ring())
                    || (f.nodeEpoch() > ring.epoch() && rings.refresh(ring.epoch(), deadline, RingRefreshCause.STALE_ROUTING))
                    || rings.epoch() > ring.epoch();
            case NO_ROUTE -> rings.refresh(ring.epoch(), deadline, RingRefreshCause.REQUEST_FAILED);
            case NOT_SERVING, CONNECT_FAILED, BROKEN -> {
                if (write) {
                    yield rings.refresh(ring.epoch(), deadline, RingRefreshCause.REQUEST_FAILED);
                }
                rings.observe(Long.MAX_VALUE, threads.io());
                yield failed.size() < ring.nodes().size();
            }
            default -> false;
        };
    }
}
