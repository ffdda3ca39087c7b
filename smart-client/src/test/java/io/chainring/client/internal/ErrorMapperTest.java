package io.chainring.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.chainring.client.ChainringException;
import io.chainring.client.ChainringTimeoutException;
import io.chainring.client.ConnectionException;
import io.chainring.client.ErrorCode;
import io.chainring.client.InvalidRequestException;
import io.chainring.client.OutcomeUnknownException;
import io.chainring.client.StaleRoutingException;
import io.chainring.client.UnavailableException;
import io.chainring.client.VersionMismatchException;
import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.Conflict;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.NotFound;
import io.chainring.thrift.NotLeader;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.OutcomeUnknown;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.Unauthorized;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.VersionMismatch;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.Test;

class ErrorMapperTest {

    @Test
    void refusalsAreClassifiedAndKnownNotApplied() {
        assertThat(ErrorMapper.callFailure(new InvalidRequest(io.chainring.thrift.ErrorCode.INVALID_REQUEST, "key too big")))
                .satisfies(f -> {
                    assertThat(f.kind()).isEqualTo(Failure.Kind.INVALID_REQUEST);
                    assertThat(f.message()).isEqualTo("key too big");
                    assertThat(f.retryable()).isFalse();
                    assertThat(f.outcomeUnknown()).isFalse();
                });
        Failure notServing = ErrorMapper.callFailure(new NotServing(io.chainring.thrift.ErrorCode.NOT_SERVING, "zk down"));
        assertThat(notServing.kind()).isEqualTo(Failure.Kind.NOT_SERVING);
        assertThat(notServing.retryable()).isTrue();
        assertThat(notServing.nodeSuspect()).isTrue();
        assertThat(ErrorMapper.callFailure(new Unavailable(io.chainring.thrift.ErrorCode.UNAVAILABLE, "short chain")).kind())
                .isEqualTo(Failure.Kind.UNAVAILABLE);
        assertThat(ErrorMapper.callFailure(new NotFound(io.chainring.thrift.ErrorCode.NOT_FOUND, "no node x")).kind())
                .isEqualTo(Failure.Kind.NOT_FOUND);
        Failure mismatch = ErrorMapper.callFailure(new VersionMismatch(io.chainring.thrift.ErrorCode.VERSION_MISMATCH, "m", 17));
        assertThat(mismatch.kind()).isEqualTo(Failure.Kind.VERSION_MISMATCH);
        assertThat(mismatch.actualVersion()).isEqualTo(17);
        assertThat(mismatch.retryable()).isFalse();
    }

    /** The wire boundary's table (DESIGN "Errors"): every server error code, as the client finally reports it. */
    @Test
    void everyServerErrorCodeHasItsClientErrorCode() {
        Map<io.chainring.thrift.ErrorCode, Object[]> table = new EnumMap<>(io.chainring.thrift.ErrorCode.class);
        table.put(io.chainring.thrift.ErrorCode.INVALID_REQUEST, new Object[] {
                new InvalidRequest(io.chainring.thrift.ErrorCode.INVALID_REQUEST, "m"), ErrorCode.INVALID_REQUEST, false});
        table.put(io.chainring.thrift.ErrorCode.STALE_ROUTING, new Object[] {
                new StaleRouting(io.chainring.thrift.ErrorCode.STALE_ROUTING, "m", 3), ErrorCode.STALE_ROUTING, false});
        table.put(io.chainring.thrift.ErrorCode.NOT_SERVING, new Object[] {
                new NotServing(io.chainring.thrift.ErrorCode.NOT_SERVING, "m"), ErrorCode.UNAVAILABLE, false});
        table.put(io.chainring.thrift.ErrorCode.VERSION_MISMATCH, new Object[] {
                new VersionMismatch(io.chainring.thrift.ErrorCode.VERSION_MISMATCH, "m", 4), ErrorCode.VERSION_MISMATCH, false});
        table.put(io.chainring.thrift.ErrorCode.UNAVAILABLE, new Object[] {
                new Unavailable(io.chainring.thrift.ErrorCode.UNAVAILABLE, "m"), ErrorCode.UNAVAILABLE, false});
        table.put(io.chainring.thrift.ErrorCode.NOT_LEADER, new Object[] {
                new NotLeader(io.chainring.thrift.ErrorCode.NOT_LEADER, "m"), ErrorCode.UNAVAILABLE, false});
        table.put(io.chainring.thrift.ErrorCode.INTERNAL, new Object[] {
                new TApplicationException(TApplicationException.INTERNAL_ERROR, "m"), ErrorCode.INTERNAL, true});
        table.put(io.chainring.thrift.ErrorCode.NOT_FOUND, new Object[] {
                new NotFound(io.chainring.thrift.ErrorCode.NOT_FOUND, "m"), ErrorCode.NOT_FOUND, false});
        table.put(io.chainring.thrift.ErrorCode.UNAUTHORIZED, new Object[] {
                new Unauthorized(io.chainring.thrift.ErrorCode.UNAUTHORIZED, "m"), ErrorCode.UNAUTHORIZED, false});
        table.put(io.chainring.thrift.ErrorCode.CONFLICT, new Object[] {
                new Conflict(io.chainring.thrift.ErrorCode.CONFLICT, "m"), ErrorCode.CONFLICT, false});
        table.put(io.chainring.thrift.ErrorCode.OUTCOME_UNKNOWN, new Object[] {
                new OutcomeUnknown(io.chainring.thrift.ErrorCode.OUTCOME_UNKNOWN, "m", 9), ErrorCode.OUTCOME_UNKNOWN, true});
        assertThat(table.keySet()).as("the table covers every server code")
                .containsExactlyInAnyOrder(io.chainring.thrift.ErrorCode.values());
        table.forEach((code, row) -> {
            Failure f = ErrorMapper.callFailure((Throwable) row[0]);
            ChainringException e = ErrorMapper.toException("put", f, "", f.outcomeUnknown());
            assertThat(e.code()).as("%s", code).isEqualTo(row[1]);
            assertThat(e.mayHaveBeenApplied()).as("%s may have been applied", code).isEqualTo(row[2]);
        });
        // and every client-side kind ends in a public code
        for (Failure.Kind kind : Failure.Kind.values()) {
            assertThat(ErrorMapper.toException("put", Failure.of(kind, "m", null, false), "", false).code()).as("%s", kind).isNotNull();
        }
    }

    @Test
    void anUnknownOutcomeCarriesTheHeadsVersionAndIsNeitherRetriedNorCalledNotApplied() {
        Failure f = ErrorMapper.callFailure(new OutcomeUnknown(io.chainring.thrift.ErrorCode.OUTCOME_UNKNOWN, "no ack in time", 42));
        assertThat(f.kind()).isEqualTo(Failure.Kind.OUTCOME_UNKNOWN);
        assertThat(f.outcomeUnknown()).isTrue();
        assertThat(f.retryable()).isFalse();
        assertThat(ErrorMapper.connectionReusable(new OutcomeUnknown())).isTrue();
        ChainringException e = ErrorMapper.toException("put of key 6b", f, "", true);
        assertThat(e).isInstanceOfSatisfying(OutcomeUnknownException.class, u -> {
            assertThat(u.code()).isEqualTo(ErrorCode.OUTCOME_UNKNOWN);
            assertThat(u.mayHaveBeenApplied()).isTrue();
            assertThat(u.version()).isEqualTo(42);
            assertThat(u.getMessage()).contains("put of key 6b", "no ack in time");
        });
    }

    @Test
    void staleRoutingCarriesTheNodesRing() {
        Ring ring = Ring.empty("c1", 4, 3);
        StaleRouting stale = new StaleRouting(io.chainring.thrift.ErrorCode.STALE_ROUTING, "old", 9);
        stale.setRing(RingCodec.toThrift(ring));
        Failure f = ErrorMapper.callFailure(stale);
        assertThat(f.kind()).isEqualTo(Failure.Kind.STALE_ROUTING);
        assertThat(f.nodeEpoch()).isEqualTo(9);
        assertThat(f.ring()).isNotNull();
        assertThat(RingCodec.fromThrift(f.ring())).isEqualTo(ring);
        assertThat(ErrorMapper.callFailure(new StaleRouting(io.chainring.thrift.ErrorCode.STALE_ROUTING, "old", 9)).ring()).isNull();
    }

    @Test
    void notLeaderCarriesTheRedirect() {
        NotLeader nl = new NotLeader(io.chainring.thrift.ErrorCode.NOT_LEADER, "follower");
        nl.setLeaderAddress("127.0.0.1:9000");
        Failure f = ErrorMapper.callFailure(nl);
        assertThat(f.kind()).isEqualTo(Failure.Kind.NOT_LEADER);
        assertThat(f.redirect()).isEqualTo("127.0.0.1:9000");
    }

    @Test
    void transportFailuresSplitIntoNotSentTimeoutAndBroken() {
        Failure refused = ErrorMapper.connectFailure(new TTransportException(TTransportException.NOT_OPEN,
                new ConnectException("Connection refused")));
        assertThat(refused.kind()).isEqualTo(Failure.Kind.CONNECT_FAILED);
        assertThat(refused.message()).isEqualTo("connection refused");
        assertThat(refused.outcomeUnknown()).isFalse();

        Failure timeout = ErrorMapper.callFailure(new TTransportException(TTransportException.TIMED_OUT,
                new SocketTimeoutException("Read timed out")));
        assertThat(timeout.kind()).isEqualTo(Failure.Kind.TIMEOUT);
        assertThat(timeout.outcomeUnknown()).isTrue();

        Failure eof = ErrorMapper.callFailure(new TTransportException(TTransportException.END_OF_FILE, "Socket is closed by peer."));
        assertThat(eof.kind()).isEqualTo(Failure.Kind.BROKEN);
        assertThat(eof.outcomeUnknown()).isTrue();
        assertThat(eof.retryable()).isTrue();

        Failure reset = ErrorMapper.callFailure(new TTransportException(TTransportException.UNKNOWN, new SocketException("Connection reset")));
        assertThat(reset.kind()).isEqualTo(Failure.Kind.BROKEN);
        assertThat(reset.message()).isEqualTo("connection reset");

        Failure server = ErrorMapper.callFailure(new TApplicationException(TApplicationException.INTERNAL_ERROR, "boom"));
        assertThat(server.kind()).isEqualTo(Failure.Kind.INTERNAL);
        assertThat(server.retryable()).isFalse();
        assertThat(server.outcomeUnknown()).isTrue();
    }

    @Test
    void onlyDeclaredErrorsLeaveTheConnectionReusable() {
        assertThat(ErrorMapper.connectionReusable(new NotServing(io.chainring.thrift.ErrorCode.NOT_SERVING, "x"))).isTrue();
        assertThat(ErrorMapper.connectionReusable(new TTransportException("x"))).isFalse();
        assertThat(ErrorMapper.connectionReusable(new TApplicationException("x"))).isFalse();
    }

    @Test
    void finalFailuresBecomeThePublicExceptions() {
        ChainringException invalid = ErrorMapper.toException("put", Failure.refusal(Failure.Kind.INVALID_REQUEST, "key is 2000 bytes"), "", false);
        assertThat(invalid).isInstanceOf(InvalidRequestException.class).hasMessageContaining("key is 2000 bytes");
        assertThat(invalid.mayHaveBeenApplied()).isFalse();

        ChainringException mismatch = ErrorMapper.toException("cas",
                new Failure(Failure.Kind.VERSION_MISMATCH, "m", null, 12, 0, null, null, false), "", false);
        assertThat(mismatch).isInstanceOf(VersionMismatchException.class);
        assertThat(((VersionMismatchException) mismatch).actualVersion()).isEqualTo(12);

        assertThat(ErrorMapper.toException("get", Failure.refusal(Failure.Kind.STALE_ROUTING, "s"), "n1: s", false))
                .isInstanceOf(StaleRoutingException.class).hasMessageContaining("[n1: s]");
        for (Failure.Kind k : new Failure.Kind[] {Failure.Kind.NOT_SERVING, Failure.Kind.UNAVAILABLE, Failure.Kind.NO_ROUTE,
                Failure.Kind.CONNECT_FAILED, Failure.Kind.NOT_LEADER}) {
            ChainringException e = ErrorMapper.toException("put", Failure.refusal(k, "x"), "", false);
            assertThat(e).as(k.name()).isInstanceOf(UnavailableException.class);
            assertThat(e.mayHaveBeenApplied()).as(k.name()).isFalse();
        }
        // an earlier attempt with an unknown outcome taints the final refusal
        assertThat(ErrorMapper.toException("put", Failure.refusal(Failure.Kind.NOT_SERVING, "x"), "", true).mayHaveBeenApplied()).isTrue();

        ChainringException broken = ErrorMapper.toException("cas", Failure.of(Failure.Kind.BROKEN, "reset", null, true), "", true);
        assertThat(broken).isInstanceOf(ConnectionException.class);
        assertThat(broken.mayHaveBeenApplied()).isTrue();
        ChainringException timeout = ErrorMapper.toException("cas", Failure.of(Failure.Kind.TIMEOUT, "slow", null, true), "", true);
        assertThat(timeout).isInstanceOf(ChainringTimeoutException.class);
        assertThat(timeout.mayHaveBeenApplied()).isTrue();
        assertThat(ErrorMapper.toException("x", Failure.of(Failure.Kind.INTERNAL, "boom", null, true), "", true).code())
                .isEqualTo(ErrorCode.INTERNAL);
    }

    @Test
    void maybeAppliedKeepsTheTypeAndSetsTheFlag() {
        ChainringException e = ErrorMapper.maybeApplied(new InvalidRequestException("bad key"));
        assertThat(e).isInstanceOf(InvalidRequestException.class);
        assertThat(e.mayHaveBeenApplied()).isTrue();
        assertThat(ErrorMapper.maybeApplied(new UnavailableException("u"))).isInstanceOf(UnavailableException.class)
                .matches(ChainringException::mayHaveBeenApplied);
        ConnectionException already = new ConnectionException("c", true, null);
        assertThat(ErrorMapper.maybeApplied(already)).isSameAs(already);
    }
}
