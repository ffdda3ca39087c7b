package io.chainring.client.internal;

import io.chainring.client.ChainringException;
import io.chainring.client.ErrorCode;
import io.chainring.client.ReadLevel;
import io.chainring.client.Versioned;
import io.chainring.client.WriteAck;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.PutResult;
import io.chainring.thrift.RemoveResult;
import io.chainring.thrift.ScanResult;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * The single-key operations on top of {@link KeyCaller} and {@link MajorityReader} (blocking).
 * {@code blocking} runs a call on the calling thread with blocking I/O and returns a completed
 * future (the sync API: measured faster than waiting for the selector thread); otherwise the call
 * is non-blocking.
 * Put and delete are retried after an attempt with an unknown outcome only when the client was
 * built to (a repeated put writes the same value again under a new version; a repeated delete
 * may report that nothing existed: the nemesis test showed both break linearizability);
 * compare-and-set never is (DESIGN §3, STYLE "retry only idempotent operations").
 */
public final class KvOps {
    private final KeyCaller keys;
    private final MajorityReader majority;
    private final boolean retryWritesAfterUnknownOutcome;

    public KvOps(KeyCaller keys, MajorityReader majority, boolean retryWritesAfterUnknownOutcome) {
        this.keys = keys;
        this.majority = majority;
        this.retryWritesAfterUnknownOutcome = retryWritesAfterUnknownOutcome;
    }

    /** A LINEARIZABLE or ONE read, non-blocking; MAJORITY reads go through {@link #getMajority}. */
    public CompletableFuture<Optional<Versioned>> get(byte[] key, ReadLevel level, Deadline deadline, boolean blocking) {
        if (level == ReadLevel.MAJORITY) {
            throw new IllegalArgumentException("a MAJORITY read blocks: use getMajority");
        }
        io.chainring.thrift.ReadLevel l = thrift(level);
        return keys.call(KeyRequest.read("get", key,
                (kv, epoch, cb) -> kv.get(epoch, ByteBuffer.wrap(key), l, cb),
                (kv, epoch) -> kv.get(epoch, ByteBuffer.wrap(key), l), GetResult::getRingEpoch), deadline, blocking)
                .thenApply(KvOps::toVersioned);
    }

    /** A MAJORITY read, blocking (it asks the members one after the other). */
    public Optional<Versioned> getMajority(byte[] key, Deadline deadline) {
        return toVersioned(majority.read(key, deadline));
    }

    public CompletableFuture<Long> put(byte[] key, byte[] value, WriteAck ack, Deadline deadline, boolean blocking) {
        io.chainring.thrift.WriteAck a = thrift(ack);
        return keys.call(KeyRequest.write("put", key, retryWritesAfterUnknownOutcome,
                (kv, epoch, cb) -> kv.put(epoch, ByteBuffer.wrap(key), ByteBuffer.wrap(value), a, cb),
                (kv, epoch) -> kv.put(epoch, ByteBuffer.wrap(key), ByteBuffer.wrap(value), a),
                PutResult::getRingEpoch), deadline, blocking).thenApply(PutResult::getVersion);
    }

    public CompletableFuture<Boolean> remove(byte[] key, WriteAck ack, Deadline deadline, boolean blocking) {
        io.chainring.thrift.WriteAck a = thrift(ack);
        return keys.call(KeyRequest.write("delete", key, retryWritesAfterUnknownOutcome,
                (kv, epoch, cb) -> kv.remove(epoch, ByteBuffer.wrap(key), a, cb),
                (kv, epoch) -> kv.remove(epoch, ByteBuffer.wrap(key), a), RemoveResult::getRingEpoch), deadline, blocking)
                .thenApply(RemoveResult::isExisted);
    }

    /** One request id for every attempt, so the head can recognise a repeat (DESIGN §3). */
    public CompletableFuture<Long> compareAndSet(byte[] key, byte[] value, long expectedVersion, Deadline deadline, boolean blocking) {
        String requestId = UUID.randomUUID().toString();
        return keys.call(KeyRequest.write("compareAndSet", key, false,
                (kv, epoch, cb) -> kv.compareAndSet(epoch, ByteBuffer.wrap(key), ByteBuffer.wrap(value), expectedVersion, requestId, cb),
                (kv, epoch) -> kv.compareAndSet(epoch, ByteBuffer.wrap(key), ByteBuffer.wrap(value), expectedVersion, requestId),
                PutResult::getRingEpoch).withDetail("expected version " + expectedVersion), deadline, blocking).thenApply(PutResult::getVersion);
    }

    /**
     * Up to {@code limit} live entries of one partition after {@code startAfter} (empty: from the
     * start). Read at the tail, which holds only committed writes, unless the level is ONE (any member).
     */
    public CompletableFuture<ScanResult> scan(int partition, byte[] startAfter, int limit, ReadLevel level, Deadline deadline,
                                              boolean blocking) {
        KeyRequest.Target target = level == ReadLevel.ONE ? KeyRequest.Target.ANY : KeyRequest.Target.TAIL;
        return keys.call(KeyRequest.partitionRead("scan", partition, target,
                (kv, epoch, cb) -> kv.scan(epoch, partition, ByteBuffer.wrap(startAfter), limit, cb),
                (kv, epoch) -> kv.scan(epoch, partition, ByteBuffer.wrap(startAfter), limit), ScanResult::getRingEpoch), deadline, blocking);
    }

    /** The public form of a get answer; an answer the client cannot accept is an internal error. */
    public static Optional<Versioned> toVersioned(GetResult r) {
        if (!r.isFound()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Versioned(r.isSetValue() ? r.getValue() : new byte[0], r.getVersion()));
        } catch (IllegalArgumentException e) {
            throw new ChainringException(ErrorCode.INTERNAL, "server sent an invalid value: " + e.getMessage(), false, e);
        }
    }

    public static io.chainring.thrift.ReadLevel thrift(ReadLevel level) {
        return switch (level) {
            case LINEARIZABLE -> io.chainring.thrift.ReadLevel.LINEARIZABLE;
            case MAJORITY -> io.chainring.thrift.ReadLevel.MAJORITY;
            case ONE -> io.chainring.thrift.ReadLevel.ONE;
        };
    }

    public static io.chainring.thrift.WriteAck thrift(WriteAck ack) {
        return switch (ack) {
            case ALL -> io.chainring.thrift.WriteAck.ALL;
            case MAJORITY -> io.chainring.thrift.WriteAck.MAJORITY;
            case ONE -> io.chainring.thrift.WriteAck.ONE;
        };
    }
}
