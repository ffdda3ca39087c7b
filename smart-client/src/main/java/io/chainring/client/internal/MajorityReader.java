package io.chainring.client.internal;

import io.chainring.client.RingRefreshCause;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.ReadLevel;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;

/**
 * A {@code MAJORITY} read (DESIGN §6.3): reads the key's local value on ⌈(k+1)/2⌉ members of its
 * k-member chain, one after the other, and keeps the answer with the highest version. Members
 * that fail are replaced by others; the ring is refreshed as for any read.
 */
public final class MajorityReader {
    private final RingCache rings;
    private final Router router;
    private final NodeCaller nodes;
    private final RetryPolicy retry;
    private final Executor background;

    public MajorityReader(RingCache rings, Router router, NodeCaller nodes, RetryPolicy retry, Executor background) {
        this.rings = rings;
        this.router = router;
        this.nodes = nodes;
        this.retry = retry;
        this.background = background;
    }

    public GetResult read(byte[] key, Deadline deadline) {
        CallState st = new CallState("get", "majority get", deadline, retry, nodes.listener());
        Map<NodeId, GetResult> answers = new HashMap<>();
        while (true) {
            Ring ring = rings.current();
            int partition = ring.partitionOf(key);
            st.describe("majority get of key " + Keys.show(key) + " (partition " + partition + ")");
            int chainLength = ring.partition(partition).chain().length();
            int needed = Router.majority(chainLength);
            Failure f = null;
            if (chainLength == 0) {
                f = Failure.refusal(Failure.Kind.NO_ROUTE, "partition " + partition + " has no replicas in ring epoch " + ring.epoch());
                st.record("", f);
            }
            List<NodeInfo> members = router.readers(ring, partition, chainLength);
            for (NodeInfo node : members) {
                if (answers.size() >= needed || (f != null && !f.retryable())) {
                    break;
                }
                if (answers.containsKey(node.id())) {
                    continue;
                }
                ByteBuffer k = ByteBuffer.wrap(key);
                Attempt<GetResult> a = nodes.call("get", node.id().toString(), node.address(), deadline,
                        c -> c.kv().get(ring.epoch(), k, ReadLevel.ONE));
                if (a.ok()) {
                    router.healthy(node.id());
                    rings.observe(a.value().getRingEpoch(), background);
                    answers.put(node.id(), a.value());
                } else {
                    f = a.failure();
                    st.record(node.id() + "@" + node.address(), f);
                    if (f.nodeSuspect()) {
                        router.suspect(node.id());
                    }
                    if (f.kind() == Failure.Kind.TIMEOUT) {
                        throw st.timeout();
                    }
                    if (f.kind() == Failure.Kind.STALE_ROUTING) {
                        break;
                    }
                }
            }
            if (chainLength > 0 && answers.size() >= needed) {
                return answers.values().stream().max(java.util.Comparator.comparingLong(GetResult::getVersion)).orElseThrow();
            }
            if (f == null) {
                f = Failure.refusal(Failure.Kind.UNAVAILABLE, "only " + answers.size() + " of " + needed + " replicas answered");
                st.record("", f);
            }
            if (!f.retryable()) {
                throw st.fail();
            }
            boolean learned = f.kind() == Failure.Kind.STALE_ROUTING
                    ? rings.install(f.ring()) || rings.refresh(ring.epoch(), deadline, RingRefreshCause.STALE_ROUTING)
                    : rings.refresh(ring.epoch(), deadline, RingRefreshCause.REQUEST_FAILED);
            if (!st.nextAttempt(!learned)) {
                throw st.fail();
            }
        }
    }
}
