package io.chainring.datanode.server;

import io.chainring.ring.NodeId;
import io.chainring.thrift.AckBatch;
import io.chainring.thrift.AckResponse;
import io.chainring.thrift.HeadHandoff;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicateResponse;
import io.chainring.thrift.ReplicationService;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.TailReadResult;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * The {@code replication} service as the transport calls it, on a connection's event loop for the
 * methods declared inline (DESIGN "Thrift port"): each call runs at once unless it could wait —
 * a caller's ring epoch this node has not seen yet (the handler waits for its ring watch, then
 * reads ZooKeeper) or a catch-up chunk (a scan of up to a megabyte) — and then on {@code waits}.
 * The protocol itself is the blocking {@link ReplicationService.Iface} handler's.
 */
public final class ReplicationCalls implements ReplicationService.AsyncIface {
    private final ReplicationService.Iface handler;
    private final Waits waits;

    public ReplicationCalls(NodeId self, ReplicationService.Iface handler, RingView view, Executor waits) {
        this.handler = handler;
        this.waits = new Waits(self, view, waits);
    }

    @Override
    public void replicate(ReplicateBatch batch, AsyncMethodCallback<ReplicateResponse> done) {
        run(done, batch == null || waits.wouldWaitForRing(batch.getRingEpoch()), () -> handler.replicate(batch));
    }

    @Override
    public void tailGet(long ringEpoch, int partition, ByteBuffer key, AsyncMethodCallback<TailReadResult> done) {
        run(done, waits.wouldWaitForRing(ringEpoch), () -> handler.tailGet(ringEpoch, partition, key));
    }

    @Override
    public void ack(AckBatch batch, AsyncMethodCallback<AckResponse> done) {
        run(done, batch == null || waits.wouldWaitForRing(batch.getRingEpoch()), () -> handler.ack(batch));
    }

    @Override
    public void catchUp(long ringEpoch, String requester, int partition, ByteBuffer startAfter, int maxBytes, long afterVersion,
                        AsyncMethodCallback<SnapshotChunk> done) {
        run(done, true, () -> handler.catchUp(ringEpoch, requester, partition, startAfter, maxBytes, afterVersion));
    }

    @Override
    public void handoff(long ringEpoch, int partition, AsyncMethodCallback<HeadHandoff> done) {
        run(done, waits.wouldWaitForRing(ringEpoch), () -> handler.handoff(ringEpoch, partition));
    }

    private <T> void run(AsyncMethodCallback<T> done, boolean elsewhere, CallGuard.Call<T> call) {
        if (elsewhere) {
            waits.run(done, () -> Waits.complete(done, call));
        } else {
            Waits.complete(done, call);
        }
    }
}
