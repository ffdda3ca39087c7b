package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs catch-up passes on a small pool, retrying a failed pass with backoff for as long as the
 * replica still needs it (it is still a learner, or still a member with a gap).
 */
final class CatchUpRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CatchUpRunner.class);
    private static final long MAX_BACKOFF_MS = 2000;

    private final NodeId self;
    private final CatchUpPass pass;
    private final ExecutorService pool;
    private volatile boolean closed;

    CatchUpRunner(NodeId self, CatchUpPass pass) {
        this.self = self;
        this.pass = pass;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "catch-up-" + self + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void start(PartitionReplica replica, boolean learnerJoin) {
        try {
            pool.execute(() -> run(replica, learnerJoin));
        } catch (RejectedExecutionException e) {
            replica.passFailed();
        }
    }

    private void run(PartitionReplica replica, boolean learnerJoin) {
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
            try {
                long started = System.nanoTime();
                CatchUpPass.Result r = pass.run(replica, source.get(), tail.get(), position.isLearner());
                replica.store().raiseAppliedLsn(r.appliedUpTo());
                replica.passDone(r.highestMerged());
                LOG.info("node {}: {} of partition {} from {} done in {} ms: {} records merged, {} suspect keys fixed, "
                                + "applied LSN now {}", self, learnerJoin ? "learner catch-up" : "gap catch-up", replica.id(),
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
