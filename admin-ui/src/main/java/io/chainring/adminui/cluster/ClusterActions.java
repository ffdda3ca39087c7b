package io.chainring.adminui.cluster;

import java.util.List;
import java.util.Objects;

/**
 * The operator's state-changing actions (DESIGN §7, §9): add, decommission or remove a node
 * (each previewed as a plan first, then confirmed with the preview's plan id), and steering the
 * running plan (pause, resume, cancel) and the stream throttle. The web layer calls only this
 * interface; {@link AdminClientActions} implements it over the controller's admin calls and
 * {@link UnavailableClusterActions} refuses each with a reason (for tests and for embedding a
 * UI in front of a cluster that cannot migrate).
 */
public interface ClusterActions {
    /** Node actions an operator can take. */
    enum NodeAction {
        ADD("add"), DECOMMISSION("decommission"), REMOVE("remove");

        private final String path;

        NodeAction(String path) {
            this.path = path;
        }

        /** The name used in URLs and JSON. */
        public String path() {
            return path;
        }

        /** @throws IllegalArgumentException naming the valid actions */
        public static NodeAction parse(String s) {
            for (NodeAction a : values()) {
                if (a.path.equals(s)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown node action '" + s + "'; use add, decommission or remove");
        }
    }

    /** What can be done to the running plan (the controller runs one plan at a time). */
    enum PlanVerb {
        PAUSE("pause"), RESUME("resume"), CANCEL("cancel");

        private final String path;

        PlanVerb(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        /** @throws IllegalArgumentException naming the valid verbs */
        public static PlanVerb parse(String s) {
            for (PlanVerb v : values()) {
                if (v.path.equals(s)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("unknown plan action '" + s + "'; use pause, resume or cancel");
        }
    }

    /**
     * Whether an action can be taken on this cluster now.
     *
     * @param action    "add", "decommission", "remove", "throttle", "pause", "resume", "cancel" or "migrations"
     * @param available whether it can
     * @param reason    why not (empty when available)
     */
    record Availability(String action, boolean available, String reason) {
        public Availability {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * One partition replica of a plan changing hands.
     *
     * @param partition the partition
     * @param from      the node giving up its replica (null for a replica added)
     * @param to        the node receiving it (null for a replica dropped)
     * @param keys      estimated keys to copy
     * @param bytes     estimated bytes to copy
     */
    record Move(int partition, String from, String to, long keys, long bytes) {
    }

    /**
     * One node's share of the ring before and after a plan.
     *
     * @param node the node
     */
    record Balance(String node, int replicasBefore, int headsBefore, int tailsBefore, int replicasAfter, int headsAfter,
                   int tailsAfter) {
        public Balance {
            Objects.requireNonNull(node, "node");
        }
    }

    /**
     * A plan preview: what an action would move, shown before the operator confirms it.
     *
     * @param planId     what to confirm (a plan is only valid for the ring it was made from)
     * @param action     the action
     * @param nodeId     the node it is about
     * @param ringEpoch  the ring epoch the plan was made from
     * @param moves      the moves, in order
     * @param totalKeys  estimated keys the moves copy
     * @param totalBytes estimated bytes the moves copy
     * @param balance    per node, its share before and after
     * @param lowerBound the fewest replica moves any plan for this change needs
     */
    record Plan(String planId, String action, String nodeId, long ringEpoch, List<Move> moves, long totalKeys,
                long totalBytes, List<Balance> balance, int lowerBound) {
        public Plan {
            Objects.requireNonNull(planId, "planId");
            moves = List.copyOf(moves);
            balance = List.copyOf(balance);
        }
    }

    /**
     * The plan being carried out, or the last one.
     *
     * @param id               its id
     * @param action           add, decommission or remove
     * @param nodes            the nodes it is about
     * @param state            RUNNING, PAUSED, CANCELLING, DONE or CANCELLED
     * @param movesPlanned     replica moves it makes
     * @param ringEpochAtStart the ring epoch it started from
     * @param createdMillis    when it started
     * @param finishedMillis   when it ended (null while it runs)
     * @param note             why it was re-planned, paused or cancelled, or what it waits for (may be null)
     * @param estimatedBytes   estimated bytes it copies (null when not known)
     */
    record PlanStatus(String id, String action, List<String> nodes, String state, int movesPlanned, long ringEpochAtStart,
                      long createdMillis, Long finishedMillis, String note, Long estimatedBytes) {
        public PlanStatus {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            nodes = List.copyOf(nodes);
        }

        /** Whether it has ended (DONE or CANCELLED). */
        public boolean finished() {
            return "DONE".equals(state) || "CANCELLED".equals(state);
        }
    }

    /**
     * A partition replica move in progress or recently ended.
     *
     * @param id             the migration's id
     * @param planId         the plan it belongs to
     * @param partition      the partition moving
     * @param source         the node it leaves (null for a replica added)
     * @param target         the node it joins (null for a replica dropped)
     * @param step           pending, join, promote, drop, done or cancelled
     * @param keysCopied     keys streamed so far
     * @param bytesCopied    bytes streamed so far
     * @param keysTotal      estimated total keys (0 when unknown)
     * @param bytesTotal     estimated total bytes (0 when unknown)
     * @param bytesPerSecond the rate (the controller's, else measured from start to last update)
     * @param etaSeconds     estimated seconds left (-1 when unknown)
     * @param startedMillis  when it started
     * @param updatedMillis  when its progress was last recorded
     * @param finishedMillis when it ended (null while it runs)
     * @param note           what it waits for or why it ended (may be null)
     */
    record Migration(String id, String planId, int partition, String source, String target, String step,
                     long keysCopied, long bytesCopied, long keysTotal, long bytesTotal, double bytesPerSecond,
                     long etaSeconds, long startedMillis, long updatedMillis, Long finishedMillis, String note) {
        public Migration {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(step, "step");
        }

        /** Percent done, 0..100: of bytes when their total is known, else of keys; 100 once done. */
        public double percent() {
            return Progress.percent(step, keysCopied, keysTotal, bytesCopied, bytesTotal);
        }
    }

    /**
     * Migrations, the plan and the throttle.
     *
     * @param running                moves in progress
     * @param recent                 moves that ended lately, newest first
     * @param plan                   the running or last plan (null if there has been none)
     * @param throttleBytesPerSecond the stream throttle per node (0 = unlimited)
     * @param maxMovesPerNode        at most this many moves run per node at once
     * @param repair                 re-replication: budget per node (-1 = not reported), chains below R, copying
     */
    record Migrations(List<Migration> running, List<Migration> recent, PlanStatus plan, long throttleBytesPerSecond,
                      int maxMovesPerNode, Repair repair) {
        public Migrations {
            running = List.copyOf(running);
            recent = List.copyOf(recent);
        }

        public Migrations(List<Migration> running, List<Migration> recent, PlanStatus plan, long throttleBytesPerSecond,
                          int maxMovesPerNode) {
            this(running, recent, plan, throttleBytesPerSecond, maxMovesPerNode, new Repair(-1, 0, 0));
        }
    }

    /** Re-replication after failures: it runs before moves, at its own budget. */
    record Repair(long bytesPerSecond, int chainsBelowR, int copying) {
    }

    /** Every action and whether it is available now. */
    List<Availability> availability();

    /** Previews what {@code action} on {@code nodeId} would do; changes nothing. */
    Plan preview(NodeAction action, String nodeId) throws ActionUnavailableException;

    /**
     * Carries out a previewed plan.
     *
     * @return the plan as it started
     * @throws ActionUnavailableException when the cluster cannot act, or the plan is no longer
     *                                    valid (the cluster changed since the preview)
     */
    PlanStatus execute(NodeAction action, String nodeId, String planId) throws ActionUnavailableException;

    /** Running and recent migrations, the plan and the throttle. */
    Migrations migrations() throws ActionUnavailableException;

    /**
     * Sets the per-node stream throttle (0 = unlimited).
     *
     * @return the value now in force
     */
    long setThrottle(long bytesPerSecond) throws ActionUnavailableException;

    /**
     * Pauses, resumes or cancels the running plan.
     *
     * @return the plan afterwards
     */
    PlanStatus steerPlan(PlanVerb verb) throws ActionUnavailableException;
}
