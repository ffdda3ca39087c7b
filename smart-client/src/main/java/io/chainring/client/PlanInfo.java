package io.chainring.client;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rebalancing plan being carried out, or the last one ({@link Migrations#plan()}).
 *
 * @param id             the plan's id (the preview's {@link PlanPreview#planId()} when it was executed with one)
 * @param action         what the plan does
 * @param nodes          the nodes it names
 * @param state          {@code RUNNING}, {@code PAUSED}, {@code CANCELLING}, {@code DONE} or {@code CANCELLED}
 *                       (a string so that a newer server's states do not break an older client)
 * @param movesPlanned   how many replica moves it has
 * @param createdAt      when it started
 * @param finishedAt     when it ended, once it has
 * @param note           why it was re-planned, paused or cancelled, or what it waits for
 * @param estimatedBytes bytes to copy in all, as estimated when it started (0 when unknown)
 */
public record PlanInfo(String id, PlanAction action, List<String> nodes, String state, int movesPlanned,
                       Instant createdAt, Optional<Instant> finishedAt, Optional<String> note, long estimatedBytes) {
    public PlanInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(action, "action");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        Objects.requireNonNull(note, "note");
    }

    /** Whether the plan has ended ({@code DONE} or {@code CANCELLED}): no move of it runs any more. */
    public boolean finished() {
        return state.equals("DONE") || state.equals("CANCELLED");
    }
}
