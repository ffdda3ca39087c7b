package io.chainring.controller.migration;

/** A plan cannot be made or started; {@link #reason()} says which kind of refusal it is. */
public final class PlanRefusedException extends Exception {
    /** How the admin API reports it. */
    public enum Reason { INVALID, NOT_FOUND, CONFLICT }

    private final Reason reason;

    public PlanRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
