package io.chainring.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ChainringException;
import io.chainring.client.ErrorCode;
import io.chainring.client.OutcomeUnknownException;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI boundary's error table (DESIGN "Errors"): every client error code has its exit code. */
class ErrorReporterTest {

    @Test
    void everyErrorCodeHasItsExitCode() {
        Map<ErrorCode, Integer> table = new EnumMap<>(ErrorCode.class);
        table.put(ErrorCode.VERSION_MISMATCH, ExitCodes.NOT_FOUND);
        table.put(ErrorCode.NOT_FOUND, ExitCodes.NOT_FOUND);
        table.put(ErrorCode.INVALID_REQUEST, ExitCodes.USAGE);
        table.put(ErrorCode.UNAVAILABLE, ExitCodes.UNAVAILABLE);
        table.put(ErrorCode.TIMEOUT, ExitCodes.UNAVAILABLE);
        table.put(ErrorCode.CONNECTION, ExitCodes.UNAVAILABLE);
        table.put(ErrorCode.OUTCOME_UNKNOWN, ExitCodes.UNAVAILABLE);
        table.put(ErrorCode.STALE_ROUTING, ExitCodes.FAILURE);
        table.put(ErrorCode.INTERRUPTED, ExitCodes.FAILURE);
        table.put(ErrorCode.INTERNAL, ExitCodes.FAILURE);
        table.put(ErrorCode.UNAUTHORIZED, ExitCodes.FAILURE);
        table.put(ErrorCode.CONFLICT, ExitCodes.FAILURE);
        assertThat(table.keySet()).as("the table covers every code").containsExactlyInAnyOrder(ErrorCode.values());
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ErrorReporter.exitCode(new ChainringException(code, "x", false))).as("%s", code).isEqualTo(table.get(code));
        }
        assertThat(ErrorReporter.exitCode(new OutcomeUnknownException("no ack in time", 7))).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(ErrorReporter.exitCode(new IllegalArgumentException("bad size"))).isEqualTo(ExitCodes.USAGE);
        assertThat(ErrorReporter.exitCode(new IllegalStateException("a bug"))).isEqualTo(ExitCodes.FAILURE);
    }
}
