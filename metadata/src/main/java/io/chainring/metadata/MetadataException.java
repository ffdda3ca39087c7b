package io.chainring.metadata;

/** ZooKeeper could not be read or written; the message says what was attempted. */
public class MetadataException extends RuntimeException {
    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }

    public MetadataException(String message) {
        super(message);
    }

    /**
     * The exception for a failed ZooKeeper call. When the call failed because the thread was
     * interrupted, the thread's interrupt flag is set again (the catch that called this swallowed
     * the {@link InterruptedException}), so the caller's shutdown or cancellation still sees it.
     */
    public static MetadataException failed(String message, Exception cause) {
        if (cause instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new MetadataException(message, cause);
    }
}
