package io.chainring.metadata;

/** ZooKeeper could not be read or written; the message says what was attempted. */
public class MetadataException extends RuntimeException {
    public MetadataException(String message, Throwable cause) {
        super(message, cause);
    }

    public MetadataException(String message) {
        super(message);
    }
}
