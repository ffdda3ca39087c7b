package io.chainring.metadata;

/** A compare-and-set plan write lost: the plan changed since it was read. */
public class PlanConflictException extends Exception {
    public PlanConflictException(String message) {
        super(message);
    }
}
