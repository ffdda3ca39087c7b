package io.chainring.adminui.cluster;

import java.util.List;
import java.util.Objects;

/**
 * Something the UI saw change in the cluster, or an action taken through it.
 *
 * @param seq         increasing number, unique within this UI process
 * @param atMillis    when the UI noticed it (epoch millis)
 * @param kind        what kind of change
 * @param epochBefore ring epoch before (0 if not a ring change)
 * @param epochAfter  ring epoch after (0 if not a ring change)
 * @param summary     one line for people
 * @param details     the individual changes, one line each
 */
public record ClusterEvent(long seq, long atMillis, Kind kind, long epochBefore, long epochAfter, String summary,
                           List<String> details) {
    public ClusterEvent {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(summary, "summary");
        details = List.copyOf(details);
    }

    /** Kinds of events. */
    public enum Kind {
        /** The UI began watching the cluster. */
        OBSERVING,
        /** The ring's epoch moved: chains, nodes, states or addresses changed. */
        RING_CHANGE,
        /** A node's ZooKeeper session went away. */
        NODE_DOWN,
        /** A node's ZooKeeper session came back (or a new node registered live). */
        NODE_UP,
        /** Another controller leads now. */
        CONTROLLER_CHANGE,
        /** The controller's plan started, ended, paused, resumed or began cancelling. */
        PLAN,
        /** An operator's action through this UI. */
        ADMIN_ACTION
    }
}
