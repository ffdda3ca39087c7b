package io.chainring.client.internal;

import io.chainring.client.Outcome;
import io.chainring.ring.HostPort;
import io.chainring.thrift.KvService;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;

/**
 * Makes one non-blocking kv call to one server: takes a connection from the
 * {@link AsyncConnectionPool}, sends with the async client's timeout set to what is left of the
 * deadline, and completes with the answer or a classified failure (never exceptionally), on the
 * selector thread. Never retries. The async counterpart of {@link NodeCaller}, with the same
 * classification: a failure before the request went out is "nothing applied"; a timeout or a
 * broken connection after it is "outcome unknown".
 *
 * <p>libthrift closes an async client's connection on any error, declared Thrift exceptions
 * included, so every failed call discards its connection (the idle ones are kept unless the
 * connection broke).
 */
public final class AsyncNodeCaller {
    /** A kv call on an async client; the callback gets the answer or the error. */
    @FunctionalInterface
    public interface AsyncCall<T> {
        void send(KvService.AsyncClient kv, AsyncMethodCallback<T> callback) throws TException;
    }

    private final AsyncConnectionPool pool;
    private final Duration connectTimeout;
    private final SafeListener listener;

    AsyncNodeCaller(AsyncConnectionPool pool, Duration connectTimeout, SafeListener listener) {
        this.pool = pool;
        this.connectTimeout = connectTimeout;
        this.listener = listener;
    }

    SafeListener listener() {
        return listener;
    }

    /**
     * One request.
     *
     * @param op      the operation, for the listener
     * @param node    the node's id (or address), for the listener
     * @param address where to send it
     */
    public <T> CompletableFuture<Attempt<T>> call(String op, String node, HostPort address, Deadline deadline, AsyncCall<T> call) {
        if (deadline.expired()) {
            return CompletableFuture.completedFuture(
                    Attempt.failed(Failure.of(Failure.Kind.TIMEOUT, "deadline passed before sending", null, false)));
        }
        long start = System.nanoTime();
        listener.requestStarted(op, node);
        return pool.acquire(address, deadline, connectTimeout).thenCompose(got -> {
            CompletableFuture<Attempt<T>> out;
            if (!got.ok()) {
                out = CompletableFuture.completedFuture(Attempt.failed(got.failure()));
            } else {
                out = new CompletableFuture<>();
                new Exchange<>(got.value(), address, out).send(deadline, call);
            }
            return out.whenComplete((a, e) -> listener.requestFinished(op, node,
                    e != null ? Outcome.INTERNAL : a.ok() ? Outcome.SUCCESS : SafeListener.outcome(a.failure()),
                    System.nanoTime() - start));
        });
    }

    /** One request on one connection; finishes once, whichever comes first: answer, error, or close. */
    private final class Exchange<T> implements AsyncMethodCallback<T> {
        private final AsyncConnection connection;
        private final HostPort address;
        private final CompletableFuture<Attempt<T>> out;
        private final AtomicBoolean finished = new AtomicBoolean();

        Exchange(AsyncConnection connection, HostPort address, CompletableFuture<Attempt<T>> out) {
            this.connection = connection;
            this.address = address;
            this.out = out;
        }

        void send(Deadline deadline, AsyncCall<T> call) {
            if (!pool.onClose(connection, () -> finish(Attempt.failed(Failure.of(Failure.Kind.CLOSED, "client closed", null, true)), false))) {
                finish(Attempt.failed(Failure.of(Failure.Kind.CLOSED, "client closed", null, false)), false);
                return;
            }
            try {
                call.send(connection.kv(deadline.remainingMillis()), this);
            } catch (TException | RuntimeException e) {
                // refused before anything was written (serialising failed, or the selector stopped)
                finish(Attempt.failed(pool.isClosed() ? Failure.of(Failure.Kind.CLOSED, "client closed", e, false)
                        : Failure.of(Failure.Kind.INTERNAL, "could not send: " + ErrorMapper.reason(e), e, false)), false);
            }
        }

        @Override
        public void onComplete(T response) {
            finish(Attempt.ok(response), true);
        }

        @Override
        public void onError(Exception e) {
            finish(Attempt.failed(classify(e)), false);
        }

        private Failure classify(Exception e) {
            if (pool.isClosed() && !(e instanceof org.apache.thrift.TBase<?, ?>)) {
                return Failure.of(Failure.Kind.CLOSED, "client closed", e, true);
            }
            if (e instanceof TimeoutException) {
                return Failure.of(Failure.Kind.TIMEOUT, "no answer in time", e, true);
            }
            if (e instanceof IOException) {
                return Failure.of(Failure.Kind.BROKEN, ErrorMapper.reason(e), e, true);
            }
            return ErrorMapper.callFailure(e);
        }

        private void finish(Attempt<T> a, boolean reusable) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            if (reusable) {
                pool.release(connection);
            } else {
                pool.discard(connection);
                if (a.failure().kind() == Failure.Kind.BROKEN) {
                    pool.evict(address);
                }
            }
            out.complete(a);
        }
    }
}
