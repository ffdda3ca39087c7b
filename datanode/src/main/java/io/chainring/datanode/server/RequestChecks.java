package io.chainring.datanode.server;

import io.chainring.thrift.InvalidRequest;
import java.nio.ByteBuffer;

/** Validates request arguments against the {@link RequestLimits}; every message names the limit broken. */
final class RequestChecks {
    private final RequestLimits limits;

    RequestChecks(RequestLimits limits) {
        this.limits = limits;
    }

    RequestLimits limits() {
        return limits;
    }

    /** The key's bytes if it is 1..maxKeyBytes long. */
    byte[] key(ByteBuffer key) throws InvalidRequest {
        if (key == null) {
            throw Errors.invalid("key is missing; keys are 1.." + limits.maxKeyBytes() + " bytes (max key bytes)");
        }
        int length = key.remaining();
        if (length == 0) {
            throw Errors.invalid("key is empty; keys are 1.." + limits.maxKeyBytes() + " bytes (max key bytes)");
        }
        if (length > limits.maxKeyBytes()) {
            throw Errors.invalid("key is " + length + " bytes, over the limit of " + limits.maxKeyBytes()
                    + " bytes (max key bytes)");
        }
        return bytes(key);
    }

    /** The value's bytes if it is 0..maxValueBytes long. */
    byte[] value(ByteBuffer value) throws InvalidRequest {
        if (value == null) {
            throw Errors.invalid("value is missing; values are 0.." + limits.maxValueBytes() + " bytes (max value bytes)");
        }
        int length = value.remaining();
        if (length > limits.maxValueBytes()) {
            throw Errors.invalid("value is " + length + " bytes, over the limit of " + limits.maxValueBytes()
                    + " bytes (max value bytes)");
        }
        return bytes(value);
    }

    /** A scan cursor: empty (or missing) means from the start; never longer than a key may be. */
    byte[] cursor(ByteBuffer startAfter) throws InvalidRequest {
        if (startAfter == null || startAfter.remaining() == 0) {
            return new byte[0];
        }
        if (startAfter.remaining() > limits.maxKeyBytes()) {
            throw Errors.invalid("startAfter is " + startAfter.remaining() + " bytes, over the limit of "
                    + limits.maxKeyBytes() + " bytes (max key bytes)");
        }
        return bytes(startAfter);
    }

    void scanLimit(int limit) throws InvalidRequest {
        if (limit < 1 || limit > limits.maxScanEntries()) {
            throw Errors.invalid("scan limit " + limit + " is outside 1.." + limits.maxScanEntries() + " (max scan entries)");
        }
    }

    void expectedVersion(long expectedVersion) throws InvalidRequest {
        if (expectedVersion < 0) {
            throw Errors.invalid("expected version " + expectedVersion + " is negative; use 0 for 'must be absent'");
        }
    }

    /** A copy of the buffer's remaining bytes; the buffer's position is left alone. */
    static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
