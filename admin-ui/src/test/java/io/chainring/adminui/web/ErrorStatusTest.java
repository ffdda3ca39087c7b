package io.chainring.adminui.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ErrorCode;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The admin UI boundary's error table (DESIGN "Errors"): every client error code has its HTTP status. */
class ErrorStatusTest {

    @Test
    void everyErrorCodeHasItsHttpStatus() {
        Map<ErrorCode, Integer> table = new EnumMap<>(ErrorCode.class);
        table.put(ErrorCode.INVALID_REQUEST, 400);
        table.put(ErrorCode.NOT_FOUND, 404);
        table.put(ErrorCode.VERSION_MISMATCH, 409);
        table.put(ErrorCode.CONFLICT, 409);
        table.put(ErrorCode.UNAVAILABLE, 503);
        table.put(ErrorCode.STALE_ROUTING, 503);
        table.put(ErrorCode.TIMEOUT, 504);
        table.put(ErrorCode.OUTCOME_UNKNOWN, 504);
        table.put(ErrorCode.CONNECTION, 502);
        table.put(ErrorCode.INTERRUPTED, 502);
        table.put(ErrorCode.INTERNAL, 502);
        table.put(ErrorCode.UNAUTHORIZED, 502);
        assertThat(table.keySet()).as("the table covers every code").containsExactlyInAnyOrder(ErrorCode.values());
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(ApiRoutes.statusOf(code)).as("%s", code).isEqualTo(table.get(code));
        }
    }
}
