package io.chainring.datanode.replication;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of chain replication at one node.
 *
 * @param maxBatchWrites     most writes in one replicate batch
 * @param maxBatchBytes      about the most bytes of writes in one batch (at least one write is always sent)
 * @param heartbeatInterval  an idle stream sends an empty batch this often; acks are pushed upstream at
 *                           least every five intervals
 * @param writeTimeout       how long a client write waits at the head for its ack level before the
 *                           client gets an "outcome unknown" error
 * @param peerTimeout        connect and read timeout of node-to-node calls
 * @param gapTimeout         a gap the predecessor does not fill within this long starts a catch-up pass
 * @param maxInFlightWrites  per partition: beyond this many unacknowledged writes the head refuses
 *                           writes (Unavailable) instead of buffering without bound
 * @param catchUpChunkBytes  bytes asked per catch-up pull
 * @param maxWaitingWrites   client writes that may wait for acks at once on this node; beyond it a write
 *                           is refused before it is applied (Unavailable): a bound on the memory that
 *                           waiting writes hold (they hold no thread)
 * @param dropGrace          how long a replica the node no longer has a place for (role NONE) keeps
 *                           its data before it is deleted; cancelled if the node gets the partition
 *                           back (as chain member or learner) meanwhile
 * @param faults             test-only fault switches; {@link ReplicationFaults#NONE} in production
 */
public record ReplicationConfig(int maxBatchWrites, long maxBatchBytes, Duration heartbeatInterval, Duration writeTimeout,
                                Duration peerTimeout, Duration gapTimeout, int maxInFlightWrites, int catchUpChunkBytes,
                                int maxWaitingWrites, Duration dropGrace, ReplicationFaults faults) {
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration DEFAULT_DROP_GRACE = Duration.ofSeconds(30);
    /** Waiting writes hold no thread, only memory (a future, a timer entry): a generous bound. */
    public static final int DEFAULT_MAX_WAITING_WRITES = 100_000;

    public ReplicationConfig {
        if (maxBatchWrites < 1 || maxBatchBytes < 1024 || maxInFlightWrites < 1 || catchUpChunkBytes < 1024 || maxWaitingWrites < 1) {
            throw new IllegalArgumentException("batch writes, in-flight writes must be at least 1; batch and chunk bytes at least 1024");
        }
        requirePositive(heartbeatInterval, "heartbeatInterval");
        requirePositive(writeTimeout, "writeTimeout");
        requirePositive(peerTimeout, "peerTimeout");
        requirePositive(gapTimeout, "gapTimeout");
        Objects.requireNonNull(dropGrace, "dropGrace");
        if (dropGrace.isNegative()) {
            throw new IllegalArgumentException("dropGrace must not be negative: " + dropGrace);
        }
        Objects.requireNonNull(faults, "faults");
    }

    public static ReplicationConfig defaults() {
        return new ReplicationConfig(1000, 4L * 1024 * 1024, Duration.ofMillis(100), DEFAULT_WRITE_TIMEOUT,
                Duration.ofSeconds(10), Duration.ofSeconds(2), 100_000, 1024 * 1024, DEFAULT_MAX_WAITING_WRITES, DEFAULT_DROP_GRACE, ReplicationFaults.NONE);
    }

    public ReplicationConfig withWriteTimeout(Duration value) {
        return new ReplicationConfig(maxBatchWrites, maxBatchBytes, heartbeatInterval, value, peerTimeout, gapTimeout,
                maxInFlightWrites, catchUpChunkBytes, maxWaitingWrites, dropGrace, faults);
    }

    public ReplicationConfig withFaults(ReplicationFaults value) {
        return new ReplicationConfig(maxBatchWrites, maxBatchBytes, heartbeatInterval, writeTimeout, peerTimeout, gapTimeout,
                maxInFlightWrites, catchUpChunkBytes, maxWaitingWrites, dropGrace, value);
    }

    public ReplicationConfig withBatchLimits(int writes, long bytes) {
        return new ReplicationConfig(writes, bytes, heartbeatInterval, writeTimeout, peerTimeout, gapTimeout,
                maxInFlightWrites, catchUpChunkBytes, maxWaitingWrites, dropGrace, faults);
    }

    public ReplicationConfig withPeerTimeout(Duration value) {
        return new ReplicationConfig(maxBatchWrites, maxBatchBytes, heartbeatInterval, writeTimeout, value, gapTimeout,
                maxInFlightWrites, catchUpChunkBytes, maxWaitingWrites, dropGrace, faults);
    }

    public ReplicationConfig withGapTimeout(Duration value) {
        return new ReplicationConfig(maxBatchWrites, maxBatchBytes, heartbeatInterval, writeTimeout, peerTimeout, value,
                maxInFlightWrites, catchUpChunkBytes, maxWaitingWrites, dropGrace, faults);
    }

    public ReplicationConfig withCatchUpChunkBytes(int value) {
        return new ReplicationConfig(maxBatchWrites, maxBatchBytes, heartbeatInterval, writeTimeout, peerTimeout, gapTimeout,
                maxInFlightWrites, value, maxWaitingWrites, dropGrace, faults);
    }

    public ReplicationConfig withMaxWaitingWrites(int value) {
        return new ReplicationConfig(maxBatchWrites, maxBatchBytes, heartbeatInterval, writeTimeout, peerTimeout, gapTimeout,
                maxInFlightWrites, catchUpChunkBytes, value, dropGrace, faults);
    }

    public ReplicationConfig withDropGrace(Duration value) {
        return new ReplicationConfig(maxBatchWrites, maxBatchBytes, heartbeatInterval, writeTimeout, peerTimeout, gapTimeout,
                maxInFlightWrites, catchUpChunkBytes, maxWaitingWrites, value, faults);
    }

    private static void requirePositive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
