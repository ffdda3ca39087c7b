package io.chainring.controller.leader;

/**
 * Tells the pipeline whether this controller may act. A pass checks {@link #mayAct()} before it
 * reads and again before it writes, and also requires the {@link #term()} not to have moved in
 * between: a pass that began before a connection loss must not write after the reconnect, even
 * if leadership was regained meanwhile.
 */
public interface LeaderGuard {
    /** True while this controller leads and its ZooKeeper connection is trusted. */
    boolean mayAct();

    /** A number that changes every time acting was interrupted (connection doubt, leadership lost). */
    long term();
}
