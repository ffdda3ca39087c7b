package io.chainring.ring.plan;

/**
 * What the planner answers: a {@link Plan}, or {@link NoPlan} when none is possible (no node may
 * hold replicas, so any plan would drop every replica). A declared result, not an exception:
 * callers decide what "no plan" means for them (wait, cancel a running plan, refuse a request).
 */
public sealed interface PlanResult permits Plan, NoPlan {
    /** The plan; for callers that know one exists (a planner answering NoPlan then is a bug). */
    Plan orElseThrow();
}
