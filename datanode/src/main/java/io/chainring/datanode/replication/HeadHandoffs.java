package io.chainring.datanode.replication;

import io.chainring.ring.NodeId;
import io.chainring.thrift.HeadHandoff;
import io.chainring.thrift.WriteAck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the client writes still waiting at a head that a ring change dropped while alive (a
 * planned move's drop step, DESIGN §7): it asks the new head — its successor — from which LSN
 * it writes ({@code headFromLsn}) and what is committed. A waiting write at or below
 * {@code headFromLsn} reached the new chain: it completes once the new head's committed LSN
 * reaches it (ALL), or at once (MAJORITY, ONE: it is on the new head). A write above it was
 * never forwarded and never will be (the new head reuses its LSN): it fails as not applied.
 * Only when no answer settles a write within the write timeout does it fail as "outcome unknown".
 */
final class HeadHandoffs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeadHandoffs.class);
    /** How often the new head is asked again while writes wait for its committed LSN. */
    private static final long POLL_MILLIS = 30;

    private final NodeId self;
    private final PeerClients peers;
    private final LongSupplier ringEpoch;
    private final Duration timeout;
    private final ScheduledExecutorService executor;

    HeadHandoffs(NodeId self, PeerClients peers, LongSupplier ringEpoch, Duration timeout) {
        this.self = self;
        this.peers = peers;
        this.ringEpoch = ringEpoch;
        this.timeout = timeout;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "head-handoff-" + self);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts settling the writes (answers come on the handoff thread). */
    void settle(PartitionReplica.Handoff handoff) {
        LOG.info("node {}: left the head of partition {} with {} client writes waiting; asking the new head {} which it holds",
                self, handoff.partition(), handoff.waiting().size(), handoff.newHead());
        Settlement s = new Settlement(handoff, System.nanoTime() + timeout.toNanos());
        try {
            executor.execute(s);
        } catch (RejectedExecutionException e) {
            s.failAll("the node is stopping");
        }
    }

    private final class Settlement implements Runnable {
        private final int partition;
        private final NodeId newHead;
        private final List<AckWaiters.Pending> waiting;
        private final long deadline;
        private int refused;
        private int completed;

        Settlement(PartitionReplica.Handoff handoff, long deadline) {
            this.partition = handoff.partition();
            this.newHead = handoff.newHead();
            this.waiting = new ArrayList<>(handoff.waiting());
            this.deadline = deadline;
        }

        @Override
        public void run() {
            try {
                HeadHandoff h = peers.call(newHead, c -> c.handoff(ringEpoch.getAsLong(), partition));
                apply(h);
            } catch (TException | RuntimeException e) {
                LOG.debug("node {}: handoff of partition {} from {} not answered yet: {}", self, partition, newHead, e.toString());
            }
            if (waiting.isEmpty()) {
                LOG.info("node {}: handoff of partition {} to {} settled: {} writes completed, {} refused as not applied",
                        self, partition, newHead, completed, refused);
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                failAll("no answer from the new head " + newHead + " settled it within " + timeout.toMillis() + " ms");
                return;
            }
            try {
                executor.schedule(this, POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                failAll("the node is stopping");
            }
        }

        private void apply(HeadHandoff h) {
            List<AckWaiters.Pending> left = new ArrayList<>();
            for (AckWaiters.Pending p : waiting) {
                if (p.lsn() > h.getHeadFromLsn()) {
                    p.future().completeExceptionally(new WriteNotApplied("node " + self + " left the chain of partition "
                            + partition + " before forwarding LSN " + p.lsn() + "; the new head " + newHead
                            + " writes from LSN " + (h.getHeadFromLsn() + 1) + ", so this write is not in the chain"));
                    refused++;
                } else if (p.level() != WriteAck.ALL || h.getCommittedLsn() >= p.lsn()) {
                    p.future().complete(p.lsn());
                    completed++;
                } else {
                    left.add(p);
                }
            }
            waiting.clear();
            waiting.addAll(left);
        }

        void failAll(String why) {
            for (AckWaiters.Pending p : waiting) {
                p.future().completeExceptionally(new WriteOutcomeUnknown("node " + self + " left the chain of partition "
                        + partition + " and " + why + "; the write's outcome is unknown"));
            }
            LOG.warn("node {}: handoff of partition {} to {}: {} writes left with an unknown outcome ({})",
                    self, partition, newHead, waiting.size(), why);
            waiting.clear();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow().forEach(r -> {
            if (r instanceof Settlement s) {
                s.failAll("the node is stopping");
            }
        });
    }
}
