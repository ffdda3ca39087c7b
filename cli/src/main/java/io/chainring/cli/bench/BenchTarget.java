package io.chainring.cli.bench;

import java.util.List;

/**
 * What the load generator drives: the store, or one of the baselines that bound what the store
 * could do on this machine (a raw Thrift echo server, raw JE). Each worker thread opens its own
 * {@link Session}.
 */
public interface BenchTarget extends AutoCloseable {
    /** One line that says what this is, for the summary. */
    String describe();

    /** A handle for one worker thread. */
    Session session() throws Exception;

    /** Closes what the target started (servers, environments, clients). */
    @Override
    void close() throws Exception;

    /** One worker's handle; used by one thread only. */
    interface Session extends AutoCloseable {
        /** Reads a key (its value may be absent). */
        void read(byte[] key) throws Exception;

        /** Writes a value. */
        void update(byte[] key, byte[] value) throws Exception;

        /** Writes many records with the same value (preloading). */
        void load(List<byte[]> keys, byte[] value) throws Exception;

        @Override
        default void close() throws Exception {
        }
    }
}
