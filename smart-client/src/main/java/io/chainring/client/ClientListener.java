package io.chainring.client;

import java.util.List;
import java.util.Objects;

/**
 * Hooks for metrics and tracing, so the client does not force a metrics library on anyone
 * (plug in {@code io.chainring.client.micrometer.MicrometerClientListener} from the optional
 * {@code chainring-client-micrometer} artifact, or your own). Every method has an empty default;
 * implement the ones you need. Set it with {@link ChainringClient.Builder#listener}.
 *
 * <p><b>Vocabulary.</b> A <i>call</i> is one operation a user asked for ({@code get},
 * {@code put}, {@code multiGet}, one {@code scan} page, ...). A <i>request</i> is one RPC to one node;
 * a call makes one or more requests (retries, batches split per node, ring fetches).
 *
 * <p><b>Threads.</b> Methods are called on the client's threads (or the caller's, for sync calls),
 * often on the hot path, and for async calls (single-key, and the parts of multi-key calls) on the
 * client's one I/O (selector) thread: keep them short and never block. {@link #requestStarted} and
 * {@link #requestFinished} of one request come in that order with the RPC in between; for sync
 * single-key calls, MAJORITY reads, scans and ring fetches on the same thread, but a request of an
 * async call ends on the I/O thread, so a tracer must not rely on a {@code ThreadLocal} there. An exception a listener throws
 * is logged and otherwise ignored; it never fails a call.
 *
 * <p><b>Labels.</b> {@code op} is one of {@code get}, {@code put}, {@code delete},
 * {@code compareAndSet}, {@code multiGet}, {@code multiPut}, {@code scan} and {@code ring} (ring
 * fetches); {@code node} is a node id from the ring, or {@code host:port} for a seed that is not in
 * the ring yet. Both have few values, so they are safe as metrics labels.
 */
public interface ClientListener {
    /** A listener that does nothing. */
    ClientListener NONE = new ClientListener() {
    };

    /** A request is about to be sent to {@code node}. */
    default void requestStarted(String op, String node) {
    }

    /** A request to {@code node} ended after {@code latencyNanos}. */
    default void requestFinished(String op, String node, Outcome outcome, long latencyNanos) {
    }

    /**
     * A call ended (successfully or not) {@code latencyNanos} after it was made; this is the
     * latency the application saw, retries and queueing included.
     */
    default void callFinished(String op, Outcome outcome, long latencyNanos) {
    }

    /**
     * A call is about to retry after a failed attempt.
     *
     * @param retry        which retry this is, from 1
     * @param cause        how the failed attempt ended
     * @param backoffNanos how long the client waits first (0 when it retries at once, e.g. with a newer ring)
     */
    default void retrying(String op, int retry, Outcome cause, long backoffNanos) {
    }

    /**
     * The client fetched or was handed a ring.
     *
     * @param previousEpoch the epoch it routed with before
     * @param epoch         the epoch it routes with now (equal to {@code previousEpoch} when the
     *                      refresh found nothing newer, or failed)
     */
    default void ringRefreshed(RingRefreshCause cause, long previousEpoch, long epoch) {
    }

    /** One listener that calls each of {@code listeners} in order. */
    static ClientListener composite(ClientListener... listeners) {
        List<ClientListener> all = List.of(listeners);
        all.forEach(l -> Objects.requireNonNull(l, "listener"));
        return new ClientListener() {
            @Override
            public void requestStarted(String op, String node) {
                all.forEach(l -> l.requestStarted(op, node));
            }

            @Override
            public void requestFinished(String op, String node, Outcome outcome, long latencyNanos) {
                all.forEach(l -> l.requestFinished(op, node, outcome, latencyNanos));
            }

            @Override
            public void callFinished(String op, Outcome outcome, long latencyNanos) {
                all.forEach(l -> l.callFinished(op, outcome, latencyNanos));
            }

            @Override
            public void retrying(String op, int retry, Outcome cause, long backoffNanos) {
                all.forEach(l -> l.retrying(op, retry, cause, backoffNanos));
            }

            @Override
            public void ringRefreshed(RingRefreshCause cause, long previousEpoch, long epoch) {
                all.forEach(l -> l.ringRefreshed(cause, previousEpoch, epoch));
            }
        };
    }
}
