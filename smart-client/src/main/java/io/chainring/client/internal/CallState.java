package io.chainring.client.internal;

import io.chainring.client.ChainringException;
import io.chainring.client.ChainringTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bookkeeping of one call across its attempts: how many retries it used, what failed where,
 * and whether any attempt's outcome is unknown (so the final error can say whether the call may
 * have been applied). Used by one thread at a time (the async path hands it from thread to
 * thread through futures and executors, which order the accesses).
 */
public final class CallState {
    private static final Logger LOG = LoggerFactory.getLogger(CallState.class);
    private static final int HISTORY_LIMIT = 6;

    private final Deadline deadline;
    private final RetryPolicy retry;
    private final List<String> history = new ArrayList<>();
    private final String op;
    private final SafeListener listener;
    private String what;
    private int attempts;
    private int retries;
    private boolean outcomeUnknown;
    private Failure last;

    /** A call that reports nothing to a listener. */
    public CallState(String what, Deadline deadline, RetryPolicy retry) {
        this(what, what, deadline, retry, SafeListener.NONE);
    }

    /**
     * @param op       the operation's stable name, for the listener
     * @param what     the call, for messages (refined by {@link #describe})
     * @param listener told about each retry
     */
    public CallState(String op, String what, Deadline deadline, RetryPolicy retry, SafeListener listener) {
        this.op = op;
        this.what = what;
        this.deadline = deadline;
        this.retry = retry;
        this.listener = listener;
    }

    public Deadline deadline() {
        return deadline;
    }

    /** Names the call for messages once its partition is known. */
    public void describe(String description) {
        this.what = description;
    }

    /** Records a failed attempt at {@code where} (a node, or "" when no node was tried). */
    public void record(String where, Failure f) {
        attempts++;
        last = f;
        outcomeUnknown |= f.outcomeUnknown();
        if (history.size() < HISTORY_LIMIT) {
            history.add(where.isEmpty() ? f.message() : where + ": " + f.message());
        }
        LOG.debug("{}: attempt {} failed at {}: {}", what, attempts, where, f);
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }

    public Failure last() {
        return last;
    }

    /**
     * Takes one retry from the budget and, unless {@code wait} is false (the caller learned
     * something new, such as a newer ring or an untried replica), sleeps the backoff.
     *
     * @return false when no retry is left or the backoff would pass the deadline
     */
    public boolean nextAttempt(boolean wait) {
        long pause = nextPause(wait);
        if (pause <= 0) {
            return pause == 0;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /**
     * Takes one retry from the budget and tells the listener, without sleeping: for callers that
     * schedule the next attempt instead (the async path).
     *
     * @param wait false when the next attempt can go at once (see {@link #nextAttempt})
     * @return the backoff before the next attempt in nanoseconds (0: at once), or -1 when no
     *         retry is left or the backoff would pass the deadline
     */
    public long nextPause(boolean wait) {
        if (!retry.mayRetry(retries)) {
            return -1;
        }
        retries++;
        if (!wait) {
            if (deadline.expired()) {
                return -1;
            }
            listener.retrying(op, retries, cause(), 0);
            return 0;
        }
        long pause = Math.max(1, retry.backoffNanos(retries));
        if (pause >= deadline.remainingNanos()) {
            return -1;
        }
        listener.retrying(op, retries, cause(), pause);
        return pause;
    }

    private io.chainring.client.Outcome cause() {
        return last == null ? io.chainring.client.Outcome.INTERNAL : SafeListener.outcome(last);
    }

    /** The error for a call that ends with its last failure (a refusal, or the retry budget spent). */
    public ChainringException fail() {
        if (last.kind() == Failure.Kind.TIMEOUT || (deadline.expired() && last.retryable())) {
            return timeout();
        }
        return ErrorMapper.toException(what, last, summary(), outcomeUnknown);
    }

    /** The error for a call whose deadline passed. */
    public ChainringException timeout() {
        return new ChainringTimeoutException(what + ": " + deadline + " passed after " + attempts + " attempt(s)"
                + (outcomeUnknown ? ", outcome unknown" : ", nothing applied") + " [" + summary() + "]",
                outcomeUnknown, last == null ? null : last.cause());
    }

    private String summary() {
        return String.join("; ", history) + (attempts > history.size() ? "; ..." : "");
    }
}
