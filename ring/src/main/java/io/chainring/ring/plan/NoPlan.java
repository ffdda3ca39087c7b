package io.chainring.ring.plan;

import java.util.Objects;

/** No plan is possible; {@code reason} says why, for operators. */
public record NoPlan(String reason) implements PlanResult {
    public NoPlan {
        Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Plan orElseThrow() {
        throw new IllegalStateException("no plan is possible: " + reason);
    }
}
