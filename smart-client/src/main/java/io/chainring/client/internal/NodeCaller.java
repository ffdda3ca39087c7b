package io.chainring.client.internal;

import io.chainring.client.Outcome;
import io.chainring.ring.HostPort;
import java.time.Duration;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/**
 * Makes one Thrift call to one server: borrows a connection, sets the read timeout to what is
 * left of the deadline, calls, and returns the connection to the pool or discards it. Never
 * retries; never throws for a failed call (the failure comes back classified). Reports each
 * request to the listener.
 */
public final class NodeCaller {
    /** A call on an open connection. */
    @FunctionalInterface
    public interface ThriftCall<T> {
        T call(Connection connection) throws TException;
    }

    private final ConnectionPool pool;
    private final Duration connectTimeout;
    private final SafeListener listener;

    public NodeCaller(ConnectionPool pool, Duration connectTimeout) {
        this(pool, connectTimeout, SafeListener.NONE);
    }

    public NodeCaller(ConnectionPool pool, Duration connectTimeout, SafeListener listener) {
        this.pool = pool;
        this.connectTimeout = connectTimeout;
        this.listener = listener;
    }

    public ConnectionPool pool() {
        return pool;
    }

    public SafeListener listener() {
        return listener;
    }

    /** {@link #call(String, String, HostPort, Deadline, ThriftCall)} naming the node by its address. */
    public <T> Attempt<T> call(String op, HostPort address, Deadline deadline, ThriftCall<T> call) {
        return call(op, address.toString(), address, deadline, call);
    }

    /**
     * One request.
     *
     * @param op      the operation, for the listener
     * @param node    the node's id (or address), for the listener
     * @param address where to send it
     */
    public <T> Attempt<T> call(String op, String node, HostPort address, Deadline deadline, ThriftCall<T> call) {
        if (deadline.expired()) {
            return Attempt.failed(Failure.of(Failure.Kind.TIMEOUT, "deadline passed before sending", null, false));
        }
        long start = System.nanoTime();
        listener.requestStarted(op, node);
        Attempt<T> a;
        try {
            a = send(address, deadline, call);
        } catch (RuntimeException e) {
            listener.requestFinished(op, node, Outcome.INTERNAL, System.nanoTime() - start);
            throw e;
        }
        listener.requestFinished(op, node, a.ok() ? Outcome.SUCCESS : SafeListener.outcome(a.failure()), System.nanoTime() - start);
        return a;
    }

    private <T> Attempt<T> send(HostPort address, Deadline deadline, ThriftCall<T> call) {
        Connection c;
        try {
            c = pool.borrow(address, deadline.remainingMillis(connectTimeout));
        } catch (IllegalStateException e) {
            if (pool.isClosed()) {
                return Attempt.failed(Failure.of(Failure.Kind.CLOSED, "client closed", e, false));
            }
            throw e;
        } catch (TTransportException e) {
            pool.evict(address);
            if (deadline.expired()) {
                return Attempt.failed(Failure.of(Failure.Kind.TIMEOUT, "deadline passed while connecting", e, false));
            }
            return Attempt.failed(ErrorMapper.connectFailure(e));
        }
        try {
            c.timeout(deadline.remainingMillis());
            T value = call.call(c);
            pool.release(c);
            return Attempt.ok(value);
        } catch (TException | RuntimeException e) {
            if (pool.isClosed() && !ErrorMapper.connectionReusable(e)) {
                pool.discard(c); // close() broke the connection under this call
                return Attempt.failed(Failure.of(Failure.Kind.CLOSED, "client closed", e, true));
            }
            Failure f = ErrorMapper.callFailure(e);
            if (ErrorMapper.connectionReusable(e)) {
                pool.release(c);
            } else {
                pool.discard(c);
                if (f.kind() == Failure.Kind.BROKEN) {
                    pool.evict(address);
                }
            }
            return Attempt.failed(f);
        }
    }
}
