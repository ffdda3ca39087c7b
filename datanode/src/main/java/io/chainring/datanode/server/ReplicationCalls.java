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
import io.chainring.transport.CallContext;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * The {@code replication} service as the transport calls it, on a connection's event loop for the
 * methods declared inline (DESIGN "Thrift port"): each call runs at once unless it could wait —
 * a caller's ring epoch this node has not seen yet (the handler waits for its ring watch, then
 * reads ZooKeeper) or a catch-up chunk (a scan of up to a megabyte) — and then on {@code waits}.
 * The protocol itself is the blocking {@link ReplicationService.Iface} handler's.
 */
public final class ReplicationCalls implements ReplicationService.AsyncIface {
    private final NodeId self;
    private final ReplicationService.Iface handler;
    private final RingView view;
    private final Executor waits;

    public ReplicationCalls(NodeId self, ReplicationService.Iface handler, RingView view, Executor waits) {
        this.self = self;
        this.handler = handler;
        this.view = view;
        this.waits = waits;
    }

    @Override
    public void replicate(ReplicateBatch batch, AsyncMethodCallback<ReplicateResponse> done) {
        run(done, batch == null || mayWait(batch.getRingEpoch()), () -> handler.replicate(batch));
    }

    @Override
    public void tailGet(long ringEpoch, int partition, ByteBuffer key, AsyncMethodCallback<TailReadResult> done) {
        run(done, mayWait(ringEpoch), () -> handler.tailGet(ringEpoch, partition, key));
    }

    @Override
    public void ack(AckBatch batch, AsyncMethodCallback<AckResponse> done) {
        run(done, batch == null || mayWait(batch.getRingEpoch()), () -> handler.ack(batch));
    }

    @Override
    public void catchUp(long ringEpoch, String requester, int partition, ByteBuffer startAfter, int maxBytes, long afterVersion,
                        AsyncMethodCallback<SnapshotChunk> done) {
        run(done, true, () -> handler.catchUp(ringEpoch, requester, partition, startAfter, maxBytes, afterVersion));
    }

    @Override
    public void handoff(long ringEpoch, int partition, AsyncMethodCallback<HeadHandoff> done) {
        run(done, mayWait(ringEpoch), () -> handler.handoff(ringEpoch, partition));
    }

    /** Whether a call at the caller's epoch may wait for this node's ring (see {@code Router.ringFor}). */
    private boolean mayWait(long callerEpoch) {
        return view.current().map(ring -> callerEpoch > ring.epoch()).orElse(false);
    }

    private <T> void run(AsyncMethodCallback<T> done, boolean elsewhere, CallGuard.Call<T> call) {
        if (!elsewhere) {
            answer(done, call);
            return;
        }
        try {
            waits.execute(CallContext.wrap(() -> answer(done, call))); // the caller's proved id goes along
        } catch (RejectedExecutionException e) {
            done.onError(Errors.notServing("node " + self + " is stopping or overloaded; retry"));
        }
    }

    private static <T> void answer(AsyncMethodCallback<T> done, CallGuard.Call<T> call) {
        T result;
        try {
            result = call.run();
        } catch (TException | RuntimeException e) {
            done.onError(e);
            return;
        }
        done.onComplete(result);
    }
}
