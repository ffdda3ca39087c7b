package io.chainring.client.internal;

import io.chainring.client.ChainringException;
import io.chainring.client.ChainringTimeoutException;
import io.chainring.client.ConflictException;
import io.chainring.client.ConnectionException;
import io.chainring.client.ErrorCode;
import io.chainring.client.InvalidRequestException;
import io.chainring.client.NotFoundException;
import io.chainring.client.OutcomeUnknownException;
import io.chainring.client.StaleRoutingException;
import io.chainring.client.UnauthorizedException;
import io.chainring.client.UnavailableException;
import io.chainring.client.VersionMismatchException;
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
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.transport.TTransportException;

/**
 * Classifies what a Thrift call threw into a {@link Failure} (which decides retry-after-refresh,
 * retry-elsewhere or give-up), and turns the final failure of a call into the public exception.
 */
public final class ErrorMapper {
    private ErrorMapper() {
    }

    /** A failure to open a connection: nothing was sent. */
    public static Failure connectFailure(Throwable t) {
        return Failure.of(Failure.Kind.CONNECT_FAILED, reason(t), t, false);
    }

    /**
     * A failure while a request was on the wire (sent, or being sent).
     *
     * @param t what the Thrift client threw
     */
    public static Failure callFailure(Throwable t) {
        if (t instanceof InvalidRequest e) {
            return Failure.refusal(Failure.Kind.INVALID_REQUEST, e.getMessage());
        }
        if (t instanceof VersionMismatch e) {
            return new Failure(Failure.Kind.VERSION_MISMATCH, e.getMessage(), null, e.getActualVersion(), 0, null, null, false);
        }
        if (t instanceof OutcomeUnknown e) {
            return new Failure(Failure.Kind.OUTCOME_UNKNOWN, e.getMessage(), null, e.getVersion(), 0, null, null, true);
        }
        if (t instanceof StaleRouting e) {
            return new Failure(Failure.Kind.STALE_ROUTING, e.getMessage(), null, 0, e.getCurrentEpoch(),
                    e.isSetRing() ? e.getRing() : null, null, false);
        }
        if (t instanceof NotServing e) {
            return Failure.refusal(Failure.Kind.NOT_SERVING, e.getMessage());
        }
        if (t instanceof Unavailable e) {
            return Failure.refusal(Failure.Kind.UNAVAILABLE, e.getMessage());
        }
        if (t instanceof NotLeader e) {
            return new Failure(Failure.Kind.NOT_LEADER, e.getMessage(), null, 0, 0, null,
                    e.isSetLeaderAddress() ? e.getLeaderAddress() : null, false);
        }
        if (t instanceof NotFound e) {
            return Failure.refusal(Failure.Kind.NOT_FOUND, e.getMessage());
        }
        if (t instanceof Unauthorized e) {
            return Failure.refusal(Failure.Kind.UNAUTHORIZED, e.getMessage());
        }
        if (t instanceof Conflict e) {
            return Failure.refusal(Failure.Kind.CONFLICT, e.getMessage());
        }
        if (t instanceof TTransportException e) {
            if (e.getType() == TTransportException.TIMED_OUT || hasCause(e, SocketTimeoutException.class)) {
                return Failure.of(Failure.Kind.TIMEOUT, "no answer in time", e, true);
            }
            if (e.getType() == TTransportException.CORRUPTED_DATA) {
                return Failure.of(Failure.Kind.INTERNAL, "unreadable answer: " + reason(e), e, true);
            }
            return Failure.of(Failure.Kind.BROKEN, reason(e), e, true);
        }
        if (t instanceof TApplicationException e && e.getType() == TApplicationException.UNKNOWN_METHOD) {
            // an older server: it read the call and refused it, nothing was applied
            return Failure.of(Failure.Kind.INTERNAL, "not supported by this server (" + reason(e) + ")", e, false);
        }
        if (t instanceof TApplicationException e) {
            return Failure.of(Failure.Kind.INTERNAL, "server error: " + reason(e), e, true);
        }
        return Failure.of(Failure.Kind.INTERNAL, "unexpected error: " + reason(t), t, true);
    }

    /** Whether the connection that produced this exception can be reused (a complete, declared error answer). */
    public static boolean connectionReusable(Throwable t) {
        return t instanceof TBase<?, ?>;
    }

    /**
     * The public exception for a call that ends with {@code last}.
     *
     * @param what               the call, for messages ("put of key 6b6579 (partition 12)")
     * @param last               the failure that ended it
     * @param history            every failed attempt summarised, for messages
     * @param mayHaveBeenApplied whether any attempt's outcome is unknown
     */
    public static ChainringException toException(String what, Failure last, String history, boolean mayHaveBeenApplied) {
        String tail = history.isEmpty() ? "" : " [" + history + "]";
        return switch (last.kind()) {
            case INVALID_REQUEST -> new InvalidRequestException(what + " rejected: " + last.message(), mayHaveBeenApplied);
            case NOT_FOUND -> new NotFoundException(what + ": " + last.message());
            case UNAUTHORIZED -> new UnauthorizedException(refused(what, last.message()));
            case CONFLICT -> new ConflictException(refused(what, last.message()));
            case VERSION_MISMATCH -> new VersionMismatchException(what + ": " + last.message() + " (actual version " + last.actualVersion() + ")", last.actualVersion());
            case STALE_ROUTING -> new StaleRoutingException(what + ": ring still stale after retries" + tail, mayHaveBeenApplied);
            case NOT_SERVING, UNAVAILABLE, NO_ROUTE, CONNECT_FAILED, NOT_LEADER ->
                    new UnavailableException(what + " failed: no node could take it" + tail, mayHaveBeenApplied, last.cause());
            case BROKEN -> new ConnectionException(what + ": connection broke, outcome unknown" + tail, true, last.cause());
            case TIMEOUT -> new ChainringTimeoutException(what + ": " + last.message()
                    + (mayHaveBeenApplied ? ", outcome unknown" : ", nothing applied") + tail, mayHaveBeenApplied, last.cause());
            case OUTCOME_UNKNOWN -> new OutcomeUnknownException(what + ": " + last.message() + tail, last.actualVersion());
            case INTERNAL -> new ChainringException(ErrorCode.INTERNAL, what + ": " + last.message() + tail, true, last.cause());
            case CLOSED -> new ConnectionException(what + ": client closed while the call was in flight"
                    + (mayHaveBeenApplied ? ", outcome unknown" : ", nothing applied") + tail, mayHaveBeenApplied, last.cause());
        };
    }

    /** "what refused: why", without saying "refused" twice when the server's words do. */
    private static String refused(String what, String why) {
        return why.toLowerCase(Locale.ROOT).contains("refused") ? what + ": " + why : what + " refused: " + why;
    }

    /**
     * The same error, saying the operation may have been applied: for a batch whose other groups
     * were applied, or a call an earlier attempt of which has an unknown outcome.
     */
    public static ChainringException maybeApplied(ChainringException e) {
        if (e.mayHaveBeenApplied()) {
            return e;
        }
        String msg = e.getMessage() + " (other parts of the request may have been applied)";
        return switch (e.code()) {
            case INVALID_REQUEST -> new InvalidRequestException(msg, true);
            case STALE_ROUTING -> new StaleRoutingException(msg, true);
            case UNAVAILABLE -> new UnavailableException(msg, true, e);
            case TIMEOUT -> new ChainringTimeoutException(msg, true, e);
            case CONNECTION -> new ConnectionException(msg, true, e);
            default -> new ChainringException(e.code(), msg, true, e);
        };
    }

    /** Short lower-case words for an I/O failure: "connection refused", "connect timed out", ... */
    public static String reason(Throwable t) {
        if (hasCause(t, ConnectException.class)) {
            return "connection refused";
        }
        if (hasCause(t, UnknownHostException.class)) {
            return "unknown host " + deepest(t).getMessage();
        }
        if (hasCause(t, NoRouteToHostException.class)) {
            return "no route to host";
        }
        if (hasCause(t, SocketTimeoutException.class)) {
            return "timed out";
        }
        Throwable d = deepest(t);
        String msg = d.getMessage();
        String text = msg == null || msg.isBlank() ? d.getClass().getSimpleName() : msg;
        return text.toLowerCase(Locale.ROOT);
    }

    private static Throwable deepest(Throwable t) {
        Throwable d = t;
        for (int i = 0; i < 10 && d.getCause() != null && d.getCause() != d; i++) {
            d = d.getCause();
        }
        return d;
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        Throwable c = t;
        for (int i = 0; i < 10 && c != null; i++) {
            if (type.isInstance(c)) {
                return true;
            }
            c = c.getCause();
        }
        return false;
    }
}
