package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ChainringException;
import io.chainring.client.ConflictException;
import io.chainring.client.ErrorCode;
import io.chainring.client.NotFoundException;
import io.chainring.client.UnauthorizedException;
import io.chainring.thrift.Conflict;
import io.chainring.thrift.NotFound;
import io.chainring.thrift.Unauthorized;
import org.apache.thrift.TApplicationException;
import org.junit.jupiter.api.Test;

/** The controller's admin refusals become the client's admin exceptions with stable codes. */
class AdminErrorsTest {

    @Test
    void adminRefusalsAreFinalAndNotApplied() {
        Failure unauthorized = ErrorMapper.callFailure(new Unauthorized(io.chainring.thrift.ErrorCode.UNAUTHORIZED, "wrong admin token"));
        Failure conflict = ErrorMapper.callFailure(new Conflict(io.chainring.thrift.ErrorCode.CONFLICT, "a plan is running"));
        Failure notFound = ErrorMapper.callFailure(new NotFound(io.chainring.thrift.ErrorCode.NOT_FOUND, "no node 'n9'"));
        for (Failure f : new Failure[] {unauthorized, conflict, notFound}) {
            assertThat(f.retryable()).isFalse();
            assertThat(f.outcomeUnknown()).isFalse();
        }
        ChainringException u = ErrorMapper.toException("admin plan execution", unauthorized, "", false);
        assertThat(u).isInstanceOf(UnauthorizedException.class).hasMessage("admin plan execution refused: wrong admin token");
        assertThat(u.code()).isEqualTo(ErrorCode.UNAUTHORIZED);
        assertThat(u.mayHaveBeenApplied()).isFalse();
        ChainringException c = ErrorMapper.toException("admin plan execution", conflict, "", false);
        assertThat(c).isInstanceOf(ConflictException.class).hasMessageContaining("a plan is running");
        assertThat(c.code()).isEqualTo(ErrorCode.CONFLICT);
        ChainringException n = ErrorMapper.toException("admin plan preview", notFound, "", false);
        assertThat(n).isInstanceOf(NotFoundException.class).hasMessage("admin plan preview: no node 'n9'");
        assertThat(n.code()).isEqualTo(ErrorCode.NOT_FOUND);
    }

    @Test
    void anUnknownMethodIsAnOlderServerAndNothingApplied() {
        Failure f = ErrorMapper.callFailure(new TApplicationException(TApplicationException.UNKNOWN_METHOD, "executePlan not implemented yet"));
        assertThat(f.kind()).isEqualTo(Failure.Kind.INTERNAL);
        assertThat(f.retryable()).isFalse();
        assertThat(f.outcomeUnknown()).isFalse();
        assertThat(f.message()).contains("not supported").contains("not implemented yet");
    }
}
