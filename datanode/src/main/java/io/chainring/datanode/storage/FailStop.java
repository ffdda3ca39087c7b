package io.chainring.datanode.storage;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's storage stops for good after an {@link InvariantViolation} (fail-stop): from then on
 * the engine reports itself unhealthy (the node answers {@code NotServing} and is not ready) and
 * refuses every write, until the node is restarted and rebuilds its state from what is stored.
 */
final class FailStop {
    private static final Logger LOG = LoggerFactory.getLogger(FailStop.class);

    private final String name;
    private final AtomicReference<InvariantViolation> cause = new AtomicReference<>();

    FailStop(String name) {
        this.name = name;
    }

    /** Stops the storage; the first violation is logged at ERROR with its stack, later ones briefly. */
    void trip(String what, InvariantViolation e) {
        if (cause.compareAndSet(null, e)) {
            LOG.error("storage in {} stopped: invariant violated during {}; the node serves nothing until it is restarted",
                    name, what, e);
        } else if (cause.get() != e) {
            LOG.error("storage in {}: another invariant violated during {}: {}", name, what, e.getMessage());
        }
    }

    boolean stopped() {
        return cause.get() != null;
    }

    Optional<InvariantViolation> cause() {
        return Optional.ofNullable(cause.get());
    }

    /** Refuses a write once stopped. */
    void checkRunning(String what) {
        InvariantViolation c = cause.get();
        if (c != null) {
            throw new StorageException(StorageException.Kind.ENVIRONMENT_FAILED, what + " refused: storage stopped after an"
                    + " invariant violation (" + c.getMessage() + "); restart the node", c);
        }
    }
}
