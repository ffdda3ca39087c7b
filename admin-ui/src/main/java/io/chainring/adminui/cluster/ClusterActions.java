package io.chainring.adminui.cluster;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The operator's state-changing actions (DESIGN §7, §9): add, decommission or remove a node
 * (each previewed as a plan first, then confirmed), and steering migrations. The web layer calls
 * only this interface, so an implementation backed by the controller's admin calls plugs in
 * without touching pages or routes. Until the controller has those calls,
 * {@link UnavailableClusterActions} refuses each with the reason.
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
     * One partition move of a plan.
     *
     * @param partition the partition
     * @param from      the node giving up its replica (empty for a pure addition)
     * @param to        the node receiving it (empty for a pure removal)
     * @param bytes     estimated bytes to copy
     */
    record Move(int partition, String from, String to, long bytes) {
    }

    /**
     * A plan preview: what an action would move, shown before the operator confirms it.
     *
     * @param planId           what to confirm (a plan is only valid for the ring it was made from)
     * @param action           the action
     * @param nodeId           the node it is about
     * @param ringEpoch        the ring epoch the plan was made from
     * @param moves            the moves, in order
     * @param totalBytes       bytes the moves copy
     * @param replicasAfter    per node, the partition replicas it would hold afterwards
     */
    record Plan(String planId, String action, String nodeId, long ringEpoch, List<Move> moves, long totalBytes,
                Map<String, Integer> replicasAfter) {
        public Plan {
            moves = List.copyOf(moves);
            replicasAfter = Map.copyOf(replicasAfter);
        }
    }

    /**
     * A partition move in progress or recently done.
     *
     * @param id             the migration's id
     * @param partition      the partition moving
     * @param source         the node it leaves
     * @param target         the node it joins
     * @param step           join, catch-up, promote, drop, done, failed, paused
     * @param bytesCopied    bytes streamed so far
     * @param bytesTotal     estimated total (0 when unknown)
     * @param bytesPerSecond current rate
     * @param etaSeconds     estimated seconds left (-1 when unknown)
     * @param startedMillis  when it started
     * @param updatedMillis  when its progress was last recorded
     */
    record Migration(String id, int partition, String source, String target, String step, long bytesCopied,
                     long bytesTotal, double bytesPerSecond, long etaSeconds, long startedMillis, long updatedMillis) {
    }

    /**
     * Migrations and the throttle.
     *
     * @param throttleBytesPerSecond the stream throttle per node
     * @param migrations             running and recent moves
     */
    record Migrations(long throttleBytesPerSecond, List<Migration> migrations) {
        public Migrations {
            migrations = List.copyOf(migrations);
        }
    }

    /** Every action and whether it is available now. */
    List<Availability> availability();

    /** Previews what {@code action} on {@code nodeId} would do; changes nothing. */
    Plan preview(NodeAction action, String nodeId) throws ActionUnavailableException;

    /** Carries out a previewed plan; returns a line for the event log. */
    String execute(NodeAction action, String nodeId, String planId) throws ActionUnavailableException;

    /** Running and recent migrations. */
    Migrations migrations() throws ActionUnavailableException;

    /** Sets the per-node stream throttle. */
    String setThrottle(long bytesPerSecond) throws ActionUnavailableException;

    /** Pauses, resumes or cancels one migration ({@code verb} is "pause", "resume" or "cancel"). */
    String steerMigration(String migrationId, String verb) throws ActionUnavailableException;
}
