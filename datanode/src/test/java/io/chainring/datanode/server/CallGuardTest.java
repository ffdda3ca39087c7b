package io.chainring.datanode.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.datanode.storage.InvariantViolation;
import io.chainring.datanode.storage.StorageException;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.Unavailable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.junit.jupiter.api.Test;

/** The datanode boundary's error table (DESIGN "Errors"): storage kinds and bugs to wire answers. */
class CallGuardTest {

    @Test
    void everyStorageKindHasItsWireAnswer() {
        Map<StorageException.Kind, String> expected = new EnumMap<>(StorageException.Kind.class);
        expected.put(StorageException.Kind.DISK_LIMIT, "Unavailable");
        expected.put(StorageException.Kind.LOCK_TIMEOUT, "Unavailable");
        expected.put(StorageException.Kind.ENVIRONMENT_FAILED, "NotServing");
        expected.put(StorageException.Kind.CLOSED, "NotServing");
        expected.put(StorageException.Kind.CORRUPT, "INTERNAL_ERROR");
        expected.put(StorageException.Kind.OTHER, "INTERNAL_ERROR");
        assertThat(expected.keySet()).as("the table covers every kind").containsExactlyInAnyOrder(StorageException.Kind.values());
        for (StorageException.Kind kind : StorageException.Kind.values()) {
            TException wire = CallGuard.fromStorage("put", new StorageException(kind, "what happened", null));
            assertThat(answer(wire)).as("%s", kind).isEqualTo(expected.get(kind));
            assertThat(wire.getMessage()).as("%s", kind).contains("what happened");
        }
    }

    @Test
    void declaredErrorsPassAndBugsAreInternal() {
        Unavailable refused = Errors.unavailable("short chain");
        assertThatThrownBy(() -> CallGuard.run("put", () -> {
            throw refused;
        })).isSameAs(refused);
        assertThatThrownBy(() -> CallGuard.run("put", () -> {
            throw new StorageException(StorageException.Kind.CLOSED, "closed", null);
        })).isInstanceOf(NotServing.class);
        // an invariant violation is a bug whose write may be committed: never a retryable refusal
        assertThatThrownBy(() -> CallGuard.run("put", () -> {
            throw new InvariantViolation("LSN 4 after LSN 9");
        })).isInstanceOfSatisfying(TApplicationException.class, e -> {
            assertThat(e.getType()).isEqualTo(TApplicationException.INTERNAL_ERROR);
            assertThat(e.getMessage()).contains("invariant violated", "LSN 4 after LSN 9", "outcome is unknown");
        });
        assertThatThrownBy(() -> CallGuard.run("put", () -> {
            throw new IllegalStateException("a bug");
        })).isInstanceOfSatisfying(TApplicationException.class,
                e -> assertThat(e.getType()).isEqualTo(TApplicationException.INTERNAL_ERROR));
        assertThat(Errors.outcomeUnknown("no ack in time", 7).getCode()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
    }

    private static String answer(TException e) {
        if (e instanceof TApplicationException a) {
            return a.getType() == TApplicationException.INTERNAL_ERROR ? "INTERNAL_ERROR" : "application error " + a.getType();
        }
        return e.getClass().getSimpleName();
    }
}
