package io.chainring.adminui.cluster;

import java.util.Objects;

/**
 * The cluster can take the action in general but refused this one; the message says why, for the
 * operator, and the reason picks the HTTP status the API answers with.
 */
public final class ActionRefusedException extends RuntimeException {
    /** Why an action was refused. */
    public enum Reason {
        /** Malformed or impossible request (400). */
        INVALID(400),
        /** A node or plan named does not exist (404). */
        NOT_FOUND(404),
        /** The cluster changed since the preview, or another plan runs (409). */
        CONFLICT(409),
        /** The controller refused the UI's admin token: the two are configured differently (502). */
        CONTROLLER_REFUSED_TOKEN(502);

        private final int httpStatus;

        Reason(int httpStatus) {
            this.httpStatus = httpStatus;
        }

        public int httpStatus() {
            return httpStatus;
        }
    }

    private final Reason reason;

    public ActionRefusedException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
