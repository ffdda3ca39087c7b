package io.chainring.datanode.server;

import io.chainring.datanode.storage.StorageException;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Thrift call and turns failures into answers: protocol errors pass through, storage
 * failures become the matching protocol error, and anything unexpected is logged and sent as a
 * Thrift application exception. The server never dies from a request.
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
        } catch (RuntimeException e) {
            LOG.error("unexpected failure in {}", operation, e);
            throw new TApplicationException(TApplicationException.INTERNAL_ERROR,
                    operation + " failed with an internal error: " + e);
        }
    }

    private static TException fromStorage(String operation, StorageException e) {
        switch (e.kind()) {
            case DISK_LIMIT, LOCK_TIMEOUT -> {
                LOG.warn("{}: {}", operation, e.getMessage());
                return Errors.unavailable(e.getMessage());
            }
            case ENVIRONMENT_FAILED, CLOSED -> {
                LOG.warn("{}: {}", operation, e.getMessage());
                return Errors.notServing("storage cannot serve: " + e.getMessage());
            }
            default -> {
                LOG.error("storage failure in {}", operation, e);
                return new TApplicationException(TApplicationException.INTERNAL_ERROR,
                        operation + " failed in storage: " + e.getMessage());
            }
        }
    }
}
