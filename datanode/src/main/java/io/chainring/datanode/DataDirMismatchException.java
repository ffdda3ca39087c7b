package io.chainring.datanode;

/** The data directory belongs to another node or another cluster; the node refuses to start on it. */
public final class DataDirMismatchException extends IllegalStateException {
    public DataDirMismatchException(String message) {
        super(message);
    }
}
