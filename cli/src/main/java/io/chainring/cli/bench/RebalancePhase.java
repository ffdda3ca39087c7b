package io.chainring.cli.bench;

/** The measured phases of {@code chainring bench rebalance}, in the order they run. */
public enum RebalancePhase {
    /** Steady load on the original nodes. */
    BEFORE("before"),
    /** From starting the new datanode until its ADD plan is done. */
    DURING("during"),
    /** Steady load on the grown cluster. */
    AFTER("after");

    private final String label;

    RebalancePhase(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
