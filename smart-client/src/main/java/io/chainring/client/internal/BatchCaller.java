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
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one group of a multi-key operation to completion: sends the keys grouped per node (the
 * partition's head for writes, a chain member for reads) and retries the keys whose node failed,
 * regrouped by the then current ring, within the retry budget and the deadline. Groups are sent
 * one after the other here; {@link MultiOps} runs the first grouping's groups in parallel.
 */
public final class BatchCaller {
    private static final Logger LOG = LoggerFactory.getLogger(BatchCaller.class);
    private final RingCache rings;
    private final Router router;
    private final NodeCaller nodes;
    private final RetryPolicy retry;
    private final Executor background;

    public BatchCaller(RingCache rings, Router router, NodeCaller nodes, RetryPolicy retry, Executor background) {
        this.rings = rings;
        this.router = router;
        this.nodes = nodes;
        this.retry = retry;
        this.background = background;
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
     * in parts and a bad key is singled out in the error.
     *
     * @param first where to send every key in the first round (the caller's grouping), or empty to group here
     */
    public <E> Map<Integer, E> call(BatchRequest<E> req, List<Integer> indices, Optional<NodeInfo> first, Deadline deadline) {
        CallState st = new CallState(req.op(), req.op() + " of " + indices.size() + " key(s)", deadline, retry, nodes.listener());
        Map<Integer, E> results = new HashMap<>();
        Set<Integer> pending = new LinkedHashSet<>(indices);
        Set<NodeId> failed = new HashSet<>();
        boolean firstRound = true;
        while (true) {
            Ring ring = rings.current();
            Failure f = null;
            boolean learned = false;
            Deque<Map.Entry<Optional<NodeInfo>, List<Integer>>> groups = new ArrayDeque<>(firstRound && first.isPresent()
                    ? Map.of(first, List.copyOf(pending)).entrySet()
                    : group(req, ring, List.copyOf(pending), failed).entrySet());
            firstRound = false;
            while (!groups.isEmpty()) {
                Map.Entry<Optional<NodeInfo>, List<Integer>> g = groups.pollFirst();
                Failure gf = send(req, ring, g.getKey(), g.getValue(), deadline, results);
                if (gf == null) {
                    pending.removeAll(g.getValue());
                    continue;
                }
                if (gf.kind() == Failure.Kind.INVALID_REQUEST && !req.write() && g.getValue().size() > 1) {
                    List<Integer> all = g.getValue();
                    LOG.debug("{}: {} keys refused ({}); sending them in halves", req.op(), all.size(), gf.message());
                    groups.addFirst(Map.entry(g.getKey(), all.subList(all.size() / 2, all.size())));
                    groups.addFirst(Map.entry(g.getKey(), all.subList(0, all.size() / 2)));
                    continue;
                }
                f = gf;
                g.getKey().ifPresent(n -> failed.add(n.id()));
                st.record(g.getKey().map(n -> n.id() + "@" + n.address()).orElse(""), gf);
                if (gf.kind() == Failure.Kind.TIMEOUT) {
                    throw st.timeout();
                }
                if (!gf.retryable()) {
                    throw st.fail();
                }
                learned |= react(gf, ring, req.write(), failed, deadline);
            }
            if (pending.isEmpty()) {
                return results;
            }
            if (f == null) {
                throw new IllegalStateException("keys pending without a failure");
            }
            if (!st.nextAttempt(!learned)) {
                throw st.fail();
            }
        }
    }

    /** Sends one group; fills {@code results} and returns null, or returns the failure. */
    private <E> Failure send(BatchRequest<E> req, Ring ring, Optional<NodeInfo> target, List<Integer> indices,
                             Deadline deadline, Map<Integer, E> results) {
        if (target.isEmpty()) {
            return Failure.refusal(Failure.Kind.NO_ROUTE, indices.size() + " key(s) in partitions without replicas in ring epoch " + ring.epoch());
        }
        NodeInfo node = target.get();
        Attempt<BatchRequest.Answers<E>> a = nodes.call(req.op(), node.id().toString(), node.address(), deadline,
                c -> req.send().send(c.kv(), ring.epoch(), indices));
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
        rings.observe(a.value().ringEpoch(), background);
        return null;
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
                rings.observe(Long.MAX_VALUE, background);
                yield failed.size() < ring.nodes().size();
            }
            default -> false;
        };
    }
}
