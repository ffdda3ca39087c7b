package io.chainring.metadata;

/** Another process is live under the node id this one was started with. */
public final class NodeIdInUseException extends MetadataException {
    public NodeIdInUseException(String message) {
        super(message);
    }
}
