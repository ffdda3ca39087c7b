package io.chainring.datanode.server;

import io.chainring.datanode.storage.InvariantViolation;
import io.chainring.datanode.storage.StorageException;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Thrift call and turns failures into answers — the datanode boundary's mapping table
 * (DESIGN "Errors"): protocol errors pass through, each storage failure kind becomes its
 * protocol error ({@link #fromStorage}), and a bug — an {@link InvariantViolation} or any other
 * unexpected exception — is logged at ERROR and sent as a Thrift application error
 * ({@code INTERNAL_ERROR}: the outcome is unknown, clients do not retry it). The server never
 * dies from a request.
 */
final class CallGuard {
    private static final Logger LOG = LoggerFactory.getLogger(CallGuard.class);

    /** A handler body. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws TException;

        static <T> Named<T> of(String operation, Call<T> body) {
            return new Named<>(operation, body);
        }
    }

    /** A handler body with the operation name its failures are logged under. */
    record Named<T>(String operation, Call<T> body) {
    }

    private CallGuard() {
    }

    static <T> T run(String operation, Call<T> call) throws TException {
        try {
            return call.run();
        } catch (TException e) {
            throw e;
        } catch (StorageException e) {
            throw fromStorage(operation, e);
        } catch (InvariantViolation e) {
            // a bug, not a refusal: this request's write may be committed (storage stopped itself, see FailStop)
            LOG.error("invariant violated in {}", operation, e);
            throw internal(operation + " failed: invariant violated (" + e.getMessage() + "); the outcome is unknown");
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in {}", operation, e);
            throw internal(operation + " failed with an internal error: " + e);
        }
    }

    /** The protocol error for a storage failure, by kind; every kind has its entry. */
    static TException fromStorage(String operation, StorageException e) {
        return switch (e.kind()) {
            case DISK_LIMIT, LOCK_TIMEOUT -> {
                LOG.warn("{}: {}", operation, e.getMessage());
                yield Errors.unavailable(e.getMessage());
            }
            case ENVIRONMENT_FAILED, CLOSED -> {
                LOG.warn("{}: {}", operation, e.getMessage());
                yield Errors.notServing("storage cannot serve: " + e.getMessage());
            }
            case CORRUPT, OTHER -> {
                LOG.error("storage failure in {}", operation, e);
                yield internal(operation + " failed in storage: " + e.getMessage());
            }
        };
    }

    private static TApplicationException internal(String message) {
        return new TApplicationException(TApplicationException.INTERNAL_ERROR, message);
    }
}
