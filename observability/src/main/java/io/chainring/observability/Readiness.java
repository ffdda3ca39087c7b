package io.chainring.observability;

import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Whether a process is ready to do its job now (served on {@code /readyz}); liveness
 * ({@code /healthz}) only says the process answers. A datanode that is not serving (starting,
 * ZooKeeper disconnected, draining) is alive but not ready.
 */
@FunctionalInterface
public interface Readiness {
    /** Evaluated on every {@code /readyz} request; must be cheap and must not block for long. */
    Status check();

    /** Always ready. */
    static Readiness always() {
        return () -> Status.READY;
    }

    /** Ready while {@code ready} says so; otherwise not ready with {@code reason}. */
    static Readiness when(BooleanSupplier ready, String reason) {
        Objects.requireNonNull(ready, "ready");
        Objects.requireNonNull(reason, "reason");
        return () -> ready.getAsBoolean() ? Status.READY : Status.notReady(reason);
    }

    /**
     * A readiness verdict.
     *
     * @param ready  whether the process is ready
     * @param reason why not (or "ready")
     */
    record Status(boolean ready, String reason) {
        public static final Status READY = new Status(true, "ready");

        public Status {
            Objects.requireNonNull(reason, "reason");
        }

        public static Status notReady(String reason) {
            return new Status(false, reason);
        }
    }
}
