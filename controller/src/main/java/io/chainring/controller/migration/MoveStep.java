package io.chainring.controller.migration;

/**
 * Where one partition replica move stands (DESIGN §7). The ring is the truth: a move's step is
 * re-derived from the chain and learner list on every leader pass, the record only mirrors it.
 */
public enum MoveStep {
    /** Not running: waiting for its target to be live, a free slot, or a healthy chain. */
    PENDING("pending"),
    /** The target is a learner behind the tail, copying the partition. */
    JOIN("join"),
    /** The target is the tail; the source is still in the chain. */
    PROMOTE("promote"),
    /** The source left the chain (the drop step was written): finished. */
    DONE("done"),
    /** Rolled back or superseded; every chain it touched is valid. */
    CANCELLED("cancelled");

    private final String wire;

    MoveStep(String wire) {
        this.wire = wire;
    }

    /** The name stored in ZooKeeper and shown by the CLI and UI. */
    public String wire() {
        return wire;
    }

    public boolean isFinished() {
        return this == DONE || this == CANCELLED;
    }

    /** Holds a per-node slot: copying, or promoted and not yet dropped. */
    public boolean holdsSlot() {
        return this == JOIN || this == PROMOTE;
    }

    public static MoveStep fromWire(String s) {
        for (MoveStep step : values()) {
            if (step.wire.equals(s)) {
                return step;
            }
        }
        throw new IllegalArgumentException("unknown move step '" + s + "'");
    }
}
