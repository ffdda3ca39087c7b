package io.chainring.client.internal;

import io.chainring.client.ClientListener;
import io.chainring.client.Outcome;
import io.chainring.client.RingRefreshCause;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's {@link ClientListener} behind a guard: what it throws is logged (the first time at
 * WARN with the stack trace, then at DEBUG) and never fails a call. Also maps internal failure
 * kinds to the public {@link Outcome}.
 */
public final class SafeListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);
    /** For code that reports nothing (the admin client). */
    public static final SafeListener NONE = new SafeListener(ClientListener.NONE);

    private final ClientListener listener;
    private final boolean active;
    private final AtomicBoolean warned = new AtomicBoolean();

    public SafeListener(ClientListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.active = listener != ClientListener.NONE;
    }

    public boolean active() {
        return active;
    }

    public void requestStarted(String op, String node) {
        if (active) {
            try {
                listener.requestStarted(op, node);
            } catch (RuntimeException e) {
                failed("requestStarted", e);
            }
        }
    }

    public void requestFinished(String op, String node, Outcome outcome, long latencyNanos) {
        if (active) {
            try {
                listener.requestFinished(op, node, outcome, latencyNanos);
            } catch (RuntimeException e) {
                failed("requestFinished", e);
            }
        }
    }

    public void callFinished(String op, Outcome outcome, long latencyNanos) {
        if (active) {
            try {
                listener.callFinished(op, outcome, latencyNanos);
            } catch (RuntimeException e) {
                failed("callFinished", e);
            }
        }
    }

    public void retrying(String op, int retry, Outcome cause, long backoffNanos) {
        if (active) {
            try {
                listener.retrying(op, retry, cause, backoffNanos);
            } catch (RuntimeException e) {
                failed("retrying", e);
            }
        }
    }

    public void ringRefreshed(RingRefreshCause cause, long previousEpoch, long epoch) {
        if (active) {
            try {
                listener.ringRefreshed(cause, previousEpoch, epoch);
            } catch (RuntimeException e) {
                failed("ringRefreshed", e);
            }
        }
    }

    /** The public outcome of a failed attempt. */
    public static Outcome outcome(Failure f) {
        return switch (f.kind()) {
            case INVALID_REQUEST, NOT_FOUND, UNAUTHORIZED, CONFLICT -> Outcome.INVALID_REQUEST;
            case VERSION_MISMATCH -> Outcome.VERSION_MISMATCH;
            case STALE_ROUTING, NOT_LEADER -> Outcome.STALE_ROUTING;
            case NOT_SERVING -> Outcome.NOT_SERVING;
            case UNAVAILABLE, NO_ROUTE -> Outcome.UNAVAILABLE;
            case CONNECT_FAILED -> Outcome.CONNECT_FAILED;
            case BROKEN -> Outcome.CONNECTION_BROKEN;
            case TIMEOUT -> Outcome.TIMEOUT;
            case OUTCOME_UNKNOWN -> Outcome.OUTCOME_UNKNOWN;
            case INTERNAL -> Outcome.INTERNAL;
            case CLOSED -> Outcome.CLOSED;
        };
    }

    private void failed(String method, RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
            LOG.warn("client listener {} threw; ignored (further failures are logged at DEBUG)", method, e);
        } else {
            LOG.debug("client listener {} threw: {}", method, e.toString());
        }
    }
}
