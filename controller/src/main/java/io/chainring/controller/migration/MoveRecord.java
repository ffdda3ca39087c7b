package io.chainring.controller.migration;

import io.chainring.ring.NodeId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One partition replica move of a plan, as recorded at {@code migrations/<id>}: which replica
 * changes hands, the step it reached, and its copy progress.
 *
 * @param from the node giving up its replica (empty: a replica is only added)
 * @param to   the node receiving it (empty: a replica is only dropped)
 */
public record MoveRecord(String id, String planId, int partition, Optional<NodeId> from, Optional<NodeId> to,
                         MoveStep step, long keysCopied, long bytesCopied, long keysTotal, long bytesTotal,
                         Instant started, Instant updated, Optional<Instant> finished, double bytesPerSecond,
                         Optional<Duration> eta, Optional<String> note) {
    public MoveRecord {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.isEmpty() && to.isEmpty()) {
            throw new IllegalArgumentException("a move needs a source or a target: " + id);
        }
        Objects.requireNonNull(step, "step");
        Objects.requireNonNull(started, "started");
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(finished, "finished");
        Objects.requireNonNull(eta, "eta");
        Objects.requireNonNull(note, "note");
    }

    /** A move that starts now, before anything was copied. */
    public static MoveRecord start(String id, String planId, int partition, Optional<NodeId> from, Optional<NodeId> to,
                                   MoveStep step, Instant now) {
        return new MoveRecord(id, planId, partition, from, to, step, 0, 0, 0, 0, now, now, Optional.empty(), 0,
                Optional.empty(), Optional.empty());
    }

    public MoveRecord withStep(MoveStep newStep, Instant now, Optional<String> newNote) {
        Optional<Instant> done = newStep.isFinished() ? Optional.of(now) : Optional.empty();
        Optional<Duration> newEta = newStep.isFinished() ? Optional.empty() : eta;
        return new MoveRecord(id, planId, partition, from, to, newStep, keysCopied, bytesCopied, keysTotal, bytesTotal,
                started, now, done, newStep.isFinished() ? 0 : bytesPerSecond, newEta, newNote);
    }

    public MoveRecord withProgress(long keys, long bytes, long totalKeys, long totalBytes, double rate,
                                   Optional<Duration> newEta, Instant now) {
        return new MoveRecord(id, planId, partition, from, to, step, keys, bytes, totalKeys, totalBytes, started, now,
                finished, rate, newEta, note);
    }

    /** Same move, same step and figures: nothing new worth a ZooKeeper write. */
    public boolean sameAs(MoveRecord other) {
        return other != null && step == other.step && keysCopied == other.keysCopied
                && bytesCopied == other.bytesCopied && keysTotal == other.keysTotal && bytesTotal == other.bytesTotal
                && note.equals(other.note);
    }

    /** Whether {@code node} is this move's source or target. */
    public boolean involves(NodeId node) {
        return from.filter(node::equals).isPresent() || to.filter(node::equals).isPresent();
    }

    public String describe() {
        return "p" + partition + " " + from.map(NodeId::toString).orElse("-") + " -> "
                + to.map(NodeId::toString).orElse("-");
    }
}
