package io.chainring.datanode.server;

/**
 * Size limits of client requests and server answers (DESIGN §3, §8).
 *
 * @param maxKeyBytes      longest key accepted (keys are 1..max bytes)
 * @param maxValueBytes    longest value accepted (values are 0..max bytes)
 * @param maxFrameBytes    largest Thrift frame the server reads; a bigger frame drops the
 *                         connection before any memory is allocated for it
 * @param maxScanEntries   most entries one scan call may ask for
 * @param maxResponseBytes byte budget of one scan, multiGet or snapshot answer, so that answers
 *                         fit a client's default frame size
 */
public record RequestLimits(int maxKeyBytes, int maxValueBytes, int maxFrameBytes, int maxScanEntries, int maxResponseBytes) {
    public static final int DEFAULT_MAX_KEY_BYTES = 1024;
    public static final int DEFAULT_MAX_VALUE_BYTES = 1024 * 1024;
    /** 16 MiB of payload (a multiPut batch) plus room for the envelope. */
    public static final int DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024 + 64 * 1024;
    public static final int DEFAULT_MAX_SCAN_ENTRIES = 10_000;
    public static final int DEFAULT_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
    /** Bytes beyond one key and value that a single-entry request or answer needs. */
    static final int ENVELOPE_BYTES = 1024;

    public RequestLimits {
        if (maxKeyBytes < 1) {
            throw new IllegalArgumentException("max key bytes must be at least 1: " + maxKeyBytes);
        }
        if (maxValueBytes < 0) {
            throw new IllegalArgumentException("max value bytes must not be negative: " + maxValueBytes);
        }
        if (maxScanEntries < 1) {
            throw new IllegalArgumentException("max scan entries must be at least 1: " + maxScanEntries);
        }
        long single = (long) maxKeyBytes + maxValueBytes + ENVELOPE_BYTES;
        if (maxFrameBytes < single) {
            throw new IllegalArgumentException("max frame bytes " + maxFrameBytes + " cannot carry one maximal key and value ("
                    + single + " bytes with the envelope)");
        }
        if (maxResponseBytes < single) {
            throw new IllegalArgumentException("max response bytes " + maxResponseBytes + " cannot carry one maximal key and value ("
                    + single + " bytes with the envelope)");
        }
    }

    public static RequestLimits defaults() {
        return new RequestLimits(DEFAULT_MAX_KEY_BYTES, DEFAULT_MAX_VALUE_BYTES, DEFAULT_MAX_FRAME_BYTES,
                DEFAULT_MAX_SCAN_ENTRIES, DEFAULT_MAX_RESPONSE_BYTES);
    }

    /** Key and value limits changed; the frame and response budgets grow if they must to carry one entry. */
    public RequestLimits withKeyValueLimits(int newMaxKeyBytes, int newMaxValueBytes) {
        long single = (long) newMaxKeyBytes + newMaxValueBytes + ENVELOPE_BYTES;
        int frame = (int) Math.max(maxFrameBytes, single);
        int response = (int) Math.max(maxResponseBytes, single);
        return new RequestLimits(newMaxKeyBytes, newMaxValueBytes, frame, maxScanEntries, response);
    }

    public RequestLimits withMaxFrameBytes(int newMaxFrameBytes) {
        return new RequestLimits(maxKeyBytes, maxValueBytes, newMaxFrameBytes, maxScanEntries, maxResponseBytes);
    }
}
