package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import java.util.Optional;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs catch-up passes on a small pool, retrying a failed pass with backoff for as long as the
 * replica still needs it (it is still a learner, or still a member with a gap). Waiting passes
 * start in priority order: gap passes (the chain's acks wait), then repairs (a learner of a chain
 * below R), then rebalance moves; each is paced by its kind's budget ({@link CatchUpBudgets}).
 */
final class CatchUpRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpRunner.class);
    private static final long MAX_BACKOFF_MS = 2000;

    /** Passes at once: enough to keep a move's pipeline and a repair going side by side. */
    static final int THREADS = 4;

    private final NodeId self;
    private final CatchUpPass pass;
    private final CatchUpBudgets budgets;
    private final IntSupplier replication;
    private final ThreadPoolExecutor pool;
    private final AtomicLong sequence = new AtomicLong();
    private volatile boolean closed;

    /** @param replication the ring's R (a learner of a shorter chain is a repair) */
    CatchUpRunner(NodeId self, CatchUpPass pass, CatchUpBudgets budgets, IntSupplier replication) {
        this.self = self;
        this.pass = pass;
        this.budgets = budgets;
        this.replication = replication;
        AtomicInteger n = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS, new PriorityBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "catch-up-" + self + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** What a replica's pass is for, judged by its position now. */
    CatchUpBudgets.Kind kindOf(ChainPosition position) {
        if (!position.isLearner()) {
            return CatchUpBudgets.Kind.GAP;
        }
        return position.chain().size() < replication.getAsInt() ? CatchUpBudgets.Kind.REPAIR : CatchUpBudgets.Kind.REBALANCE;
    }

    void start(PartitionReplica replica, boolean learnerJoin) {
        try {
            pool.execute(new Queued(kindOf(replica.position()), sequence.incrementAndGet(), () -> run(replica)));
        } catch (RejectedExecutionException e) {
            replica.passFailed();
        }
    }

    /** A waiting pass: by kind (gap, repair, rebalance), then first come first served. */
    private record Queued(CatchUpBudgets.Kind kind, long seq, Runnable body) implements Runnable, Comparable<Queued> {
        @Override
        public void run() {
            body.run();
        }

        @Override
        public int compareTo(Queued o) {
            int byKind = Integer.compare(rank(kind), rank(o.kind));
            return byKind != 0 ? byKind : Long.compare(seq, o.seq);
        }

        private static int rank(CatchUpBudgets.Kind k) {
            return switch (k) {
                case GAP -> 0;
                case REPAIR -> 1;
                case REBALANCE -> 2;
            };
        }
    }

    private void run(PartitionReplica replica) {
        long backoff = 100;
        int attempt = 0;
        while (!closed) {
            ChainPosition position = replica.position();
            Optional<NodeId> source = position.upstream();
            Optional<NodeId> tail = position.tail();
            if (source.isEmpty() || tail.isEmpty() || (!position.isLearner() && !position.isMember())) {
                LOG.info("node {}: catch-up of partition {} stops: no longer needed (chain {}, learners {})",
                        self, replica.id(), position.chain(), position.learners());
                replica.passFailed();
                return;
            }
            attempt++;
            CatchUpBudgets.Kind kind = kindOf(position);
            if (kind == CatchUpBudgets.Kind.REBALANCE) {
                budgets.copyStarted();
            }
            try {
                long started = System.nanoTime();
                CatchUpPass.Result r = pass.run(replica, source.get(), tail.get(), budgets.bucket(kind));
                replica.store().raiseAppliedLsn(r.appliedUpTo());
                replica.passDone(r.highestMerged());
                LOG.info("node {}: {} catch-up of partition {} from {} done in {} ms: {} records merged, {} suspect keys fixed, "
                                + "applied LSN now {}", self, kind.name().toLowerCase(java.util.Locale.ROOT), replica.id(),
                        source.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), r.merged(), r.fixed(),
                        replica.store().appliedLsn());
                return;
            } catch (InterruptedException e) {
                // the node is closing
                Thread.currentThread().interrupt();
                break;
            } catch (TException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warn("node {}: catch-up of partition {} from {} failed (attempt {}): {}; retrying in {} ms",
                        self, replica.id(), source.get(), attempt, e.toString(), backoff);
                sleep(backoff);
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            } finally {
                if (kind == CatchUpBudgets.Kind.REBALANCE) {
                    budgets.copyEnded();
                }
            }
        }
        replica.passFailed();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        pass.close();
        // no interrupt first: a thread interrupted inside JE invalidates the whole environment
        pool.shutdown();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                pool.shutdownNow();
                if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("node {}: catch-up threads did not stop within 10 s", self);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
