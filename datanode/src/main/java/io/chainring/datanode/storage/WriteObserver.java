package io.chainring.datanode.storage;

/**
 * Told about every write of a partition while its write lock is held, so replication sees
 * writes in LSN order: {@link #prepared} before the JE commit (a CRAQ replica marks the key
 * dirty before the new value can be read), then {@link #committed} or {@link #aborted}.
 */
public interface WriteObserver {
    /** Observes nothing. */
    WriteObserver NONE = new WriteObserver() {
    };

    default void prepared(ChainWrite write) {
    }

    default void committed(ChainWrite write) {
    }

    default void aborted(ChainWrite write) {
    }
}
