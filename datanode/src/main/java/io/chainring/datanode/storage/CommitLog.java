package io.chainring.datanode.storage;

import com.sleepycat.je.Environment;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps {@link Durability#WRITE_NO_SYNC}'s promise — a write is in the OS before this node tells
 * anyone it applied it — with one log write per batch instead of one per transaction (issue 10:
 * under load the datanodes' transactions queued on JE's log-write latch, each commit its own
 * {@code write} call). Partition transactions commit into JE's log buffer
 * ({@code COMMIT_NO_SYNC}) and count themselves here before their observers hear of them;
 * whatever reports applied writes to another node or answers a client calls {@link #flush}
 * first, which writes the buffers to the OS once for every commit counted before it.
 *
 * <p>Under {@code sync} and {@code no_sync} the commit durability is the environment's own and
 * {@link #flush} does nothing.
 */
final class CommitLog {
    private final Environment env;
    private final boolean deferred;
    private final AtomicLong commits = new AtomicLong();
    private final Object flushing = new Object();
    /** Commits counted before the last completed flush began. Guarded by {@link #flushing}. */
    private volatile long flushedUpTo;

    CommitLog(Environment env, Durability durability) {
        this.env = env;
        this.deferred = durability == Durability.WRITE_NO_SYNC;
    }

    /** The durability of a partition transaction's commit: the buffer only, when flushes are deferred; else the environment's. */
    com.sleepycat.je.Durability commitDurability() {
        return deferred ? com.sleepycat.je.Durability.COMMIT_NO_SYNC : null;
    }

    /** A partition transaction committed: call before anyone hears of its writes. */
    void committed() {
        if (deferred) {
            commits.incrementAndGet();
        }
    }

    /**
     * Writes every commit counted so far to the OS; returns when they are there. A caller that
     * finds a flush in progress which began after its commits were counted waits for it instead
     * of writing again.
     */
    void flush() {
        if (!deferred) {
            return;
        }
        long target = commits.get();
        if (flushedUpTo >= target) {
            return;
        }
        synchronized (flushing) {
            if (flushedUpTo >= target) {
                return;
            }
            long upTo = commits.get();
            env.flushLog(false);
            flushedUpTo = upTo;
        }
    }

    /** Commits counted so far (tests). */
    long commits() {
        return commits.get();
    }
}
