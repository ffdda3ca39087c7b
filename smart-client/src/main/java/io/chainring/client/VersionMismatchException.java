package io.chainring.client;

/** A compare-and-set found another version than the expected one. Not applied. */
public class VersionMismatchException extends ChainringException {
    private static final long serialVersionUID = 1L;

    private final long actualVersion;

    public VersionMismatchException(String message, long actualVersion) {
        super(ErrorCode.VERSION_MISMATCH, message, false);
        this.actualVersion = actualVersion;
    }

    /** The key's current version, 0 when the key is absent. */
    public long actualVersion() {
        return actualVersion;
    }
}
