package io.chainring.client.internal;

import io.chainring.thrift.TRing;
import java.util.Objects;

/**
 * One failed attempt, classified (see {@link ErrorMapper}). {@code sent} is false when the client
 * knows the request never reached a server or was refused before being applied; attempts whose
 * outcome is unknown are {@link #outcomeUnknown()}.
 *
 * @param kind          what went wrong
 * @param message       the server's or the socket's words
 * @param cause         the exception behind it, if any
 * @param actualVersion for {@link Kind#VERSION_MISMATCH}: the key's version (0 = absent); for
 *                      {@link Kind#OUTCOME_UNKNOWN}: the version the head wrote
 * @param nodeEpoch     for {@link Kind#STALE_ROUTING}: the node's ring epoch
 * @param ring          for {@link Kind#STALE_ROUTING}: the node's ring, when it sent one
 * @param redirect      for {@link Kind#NOT_LEADER}: the leader's host:port, when known
 * @param outcomeUnknown true when the request may have been applied
 */
public record Failure(Kind kind, String message, Throwable cause, long actualVersion, long nodeEpoch, TRing ring,
                      String redirect, boolean outcomeUnknown) {

    /** How the client reacts, per kind (STYLE: retry-after-refresh, retry-elsewhere, give-up). */
    public enum Kind {
        /** Refusal; give up. */
        INVALID_REQUEST,
        /** Refusal; give up (the caller decides). */
        VERSION_MISMATCH,
        /** Admin refusal: what the call names does not exist; give up. */
        NOT_FOUND,
        /** Admin refusal: wrong or missing admin token; give up. */
        UNAUTHORIZED,
        /** Admin refusal: the change conflicts with the cluster's state; give up. */
        CONFLICT,
        /** Refusal; install the newer ring (or refetch) and retry. */
        STALE_ROUTING,
        /** Refusal; reads retry on another member, writes refresh the ring and retry. */
        NOT_SERVING,
        /** Refusal; back off and retry. */
        UNAVAILABLE,
        /** Our ring has no replica for the partition; refresh and retry. */
        NO_ROUTE,
        /** Nothing was sent: the TCP connection could not be opened. Like NOT_SERVING. */
        CONNECT_FAILED,
        /** The connection broke after the request was (maybe) sent; outcome unknown. */
        BROKEN,
        /** The deadline passed. */
        TIMEOUT,
        /** The head applied the write but could not confirm its ack level; outcome unknown; give up (the caller reads). */
        OUTCOME_UNKNOWN,
        /** Controller admin call reached a follower; go to the leader. */
        NOT_LEADER,
        /** Unexpected server error or unreadable answer; outcome unknown; give up. */
        INTERNAL,
        /** The client was closed while the call ran; give up. */
        CLOSED
    }

    public Failure {
        Objects.requireNonNull(kind, "kind");
        message = message == null || message.isBlank() ? kind.name().toLowerCase(java.util.Locale.ROOT) : message;
    }

    public static Failure of(Kind kind, String message, Throwable cause, boolean outcomeUnknown) {
        return new Failure(kind, message, cause, 0, 0, null, null, outcomeUnknown);
    }

    public static Failure refusal(Kind kind, String message) {
        return of(kind, message, null, false);
    }

    /** Whether the client should try again (subject to its retry budget and deadline). */
    public boolean retryable() {
        return switch (kind) {
            case STALE_ROUTING, NOT_SERVING, UNAVAILABLE, NO_ROUTE, CONNECT_FAILED, BROKEN, NOT_LEADER -> true;
            case INVALID_REQUEST, VERSION_MISMATCH, NOT_FOUND, UNAUTHORIZED, CONFLICT, TIMEOUT, OUTCOME_UNKNOWN, INTERNAL,
                 CLOSED -> false;
        };
    }

    /** Whether the node itself is likely down or not serving (avoid it for a while). */
    public boolean nodeSuspect() {
        return kind == Kind.NOT_SERVING || kind == Kind.CONNECT_FAILED || kind == Kind.BROKEN;
    }

    @Override
    public String toString() {
        return kind + ": " + message;
    }
}
