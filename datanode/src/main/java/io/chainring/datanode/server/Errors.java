package io.chainring.datanode.server;

import io.chainring.ring.Ring;
import io.chainring.ring.RingCodec;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.InvalidRequest;
import io.chainring.thrift.NotServing;
import io.chainring.thrift.OutcomeUnknown;
import io.chainring.thrift.StaleRouting;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.VersionMismatch;
import org.apache.thrift.TApplicationException;

/** Factories for the protocol's error exceptions, each with its stable code (DESIGN §8). */
final class Errors {
    private Errors() {
    }

    static InvalidRequest invalid(String message) {
        return new InvalidRequest(ErrorCode.INVALID_REQUEST, message);
    }

    static NotServing notServing(String message) {
        return new NotServing(ErrorCode.NOT_SERVING, message);
    }

    static Unavailable unavailable(String message) {
        return new Unavailable(ErrorCode.UNAVAILABLE, message);
    }

    /** A redirect that carries the node's ring, so the caller can fix its routing without another call. */
    static StaleRouting stale(String message, Ring ring) {
        StaleRouting e = new StaleRouting(ErrorCode.STALE_ROUTING, message, ring.epoch());
        e.setRing(RingCodec.toThrift(ring));
        return e;
    }

    /**
     * A write applied at the head as {@code version} whose ack level was not reached in time, or
     * whose head lost its place in the chain meanwhile: it may still commit, or may be lost with
     * the chain. Clients report it as "may have been applied", with the version.
     */
    static OutcomeUnknown outcomeUnknown(String message, long version) {
        return new OutcomeUnknown(ErrorCode.OUTCOME_UNKNOWN, message, version);
    }

    /** A node-to-node request that no correct peer sends (bad node id, empty key): a protocol error. */
    static TApplicationException badPeerRequest(String message) {
        return new TApplicationException(TApplicationException.PROTOCOL_ERROR, message);
    }

    static VersionMismatch mismatch(String message, long actualVersion) {
        return new VersionMismatch(ErrorCode.VERSION_MISMATCH, message, actualVersion);
    }
}
