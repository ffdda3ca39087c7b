package io.chainring.datanode.server;

import io.chainring.ring.NodeId;
import io.chainring.transport.CallContext;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * The pool for the parts of event-loop calls that may wait (DESIGN "Threads"): a dirty key's
 * read from the tail, a call at a ring epoch the node has not seen yet, catch-up chunks. One
 * place decides when a call must move and how it moves, for {@link KvHandler} and
 * {@link ReplicationCalls} alike.
 */
final class Waits {
    private final NodeId self;
    private final RingView view;
    private final Executor executor;

    Waits(NodeId self, RingView view, Executor executor) {
        this.self = self;
        this.view = view;
        this.executor = executor;
    }

    /** Whether a call at the caller's epoch would wait for this node's ring (see {@link Router#ringFor}). */
    boolean wouldWaitForRing(long callerEpoch) {
        return view.current().map(ring -> callerEpoch > ring.epoch()).orElse(false);
    }

    /** Runs {@code call} on the pool, with the caller's proved identity; a full or stopped pool answers {@code NotServing}. */
    void run(AsyncMethodCallback<?> done, Runnable call) {
        try {
            executor.execute(CallContext.wrap(call));
        } catch (RejectedExecutionException e) {
            done.onError(Errors.notServing("node " + self + " has too many calls waiting (for the tail or its ring) or is stopping; retry"));
        }
    }

    /** Runs a call that answers at once, on this thread, and completes {@code done} with its result or failure. */
    static <T> void complete(AsyncMethodCallback<T> done, CallGuard.Call<T> call) {
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
