package io.chainring.cli.evaluate;

import java.util.Arrays;
import java.util.Locale;

/**
 * A network condition of the matrix. Static ones hold for the whole run; the others strike at a
 * quarter of the run and heal at three quarters (a killed node is restarted at half time), so
 * each run sees before, during and after.
 */
public enum Condition {
    CLEAN("clean", "no fault"),
    DELAY_5MS("delay-5ms", "+5 ms ± 1 ms one-way on every link (client, datanodes, controller, ZooKeeper)"),
    SLOW_REPLICA("slow-replica", "+50 ms ± 5 ms one-way on every link to and from the hot chains' tail"),
    LOSS_5("loss-5pct", "5% of chunks lost on every client and datanode link (each loss stalls the TCP stream for a 200 ms retransmission)"),
    TAIL_PARTITIONED("tail-partitioned", "the hot chains' tail cut off from its predecessor, both ways (25%..75% of the run)"),
    HEAD_PARTITIONED("head-partitioned", "the hot chains' head cut off from the client and from ZooKeeper, both ways (25%..75% of the run)"),
    NODE_KILLED("node-killed", "the hot chains' head killed (kill -9) at 25% of the run and restarted at 50%");

    private final String label;
    private final String description;

    Condition(String label, String description) {
        this.label = label;
        this.description = description;
    }

    public String label() {
        return label;
    }

    public String description() {
        return description;
    }

    /** Whether the fault strikes and heals during the run (else it holds throughout). */
    public boolean timed() {
        return this == TAIL_PARTITIONED || this == HEAD_PARTITIONED || this == NODE_KILLED;
    }

    /** By label ({@code slow-replica}) or name ({@code SLOW_REPLICA}). */
    public static Condition parse(String text) {
        String t = text.trim();
        return Arrays.stream(values())
                .filter(c -> c.label.equalsIgnoreCase(t) || c.name().equalsIgnoreCase(t.replace('-', '_')))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("unknown condition '" + text + "'; known: "
                        + String.join(", ", Arrays.stream(values()).map(Condition::label).toList())));
    }

    @Override
    public String toString() {
        return label.toLowerCase(Locale.ROOT);
    }
}
