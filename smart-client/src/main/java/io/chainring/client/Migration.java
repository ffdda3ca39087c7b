package io.chainring.client;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One partition replica move (DESIGN §7), as the controller records it: the target joins the
 * chain behind the tail and copies the partition, is promoted to tail, then the source drops out.
 *
 * @param id             the move's id
 * @param planId         the plan it belongs to
 * @param partition      the partition id
 * @param from           the node giving the replica up; empty when a replica is only added
 * @param to             the node receiving it; empty when a replica is only dropped
 * @param step           {@code pending}, {@code join} (copying), {@code promote}, {@code drop},
 *                       {@code done} or {@code cancelled}
 * @param keysCopied     keys copied so far
 * @param bytesCopied    bytes copied so far
 * @param keysTotal      keys to copy (an estimate until the copy ends; 0 when unknown)
 * @param bytesTotal     bytes to copy (an estimate until the copy ends; 0 when unknown)
 * @param startedAt      when it started
 * @param updatedAt      when its progress was last written
 * @param finishedAt     when it ended, once it has
 * @param bytesPerSecond recent copy rate (0 when not copying)
 * @param eta            time left, when the controller can estimate it
 * @param note           what it waits for, or why it was cancelled
 */
public record Migration(String id, String planId, int partition, Optional<String> from, Optional<String> to, String step,
                        long keysCopied, long bytesCopied, long keysTotal, long bytesTotal, Instant startedAt,
                        Instant updatedAt, Optional<Instant> finishedAt, double bytesPerSecond, Optional<Duration> eta,
                        Optional<String> note) {
    public Migration {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(eta, "eta");
        Objects.requireNonNull(note, "note");
    }

    /** Whether the move has ended ({@code done} or {@code cancelled}). */
    public boolean finished() {
        return step.equals("done") || step.equals("cancelled");
    }

    /**
     * How far the copy is, 0..1: bytes copied of the total, or keys when bytes are unknown; 1 once
     * the move is past its copy; 0 when nothing is known yet.
     */
    public double fraction() {
        if (step.equals("promote") || step.equals("drop") || step.equals("done")) {
            return 1.0;
        }
        if (bytesTotal > 0) {
            return Math.min(1.0, (double) bytesCopied / bytesTotal);
        }
        if (keysTotal > 0) {
            return Math.min(1.0, (double) keysCopied / keysTotal);
        }
        return 0.0;
    }
}
