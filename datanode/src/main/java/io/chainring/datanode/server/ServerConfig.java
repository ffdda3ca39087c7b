package io.chainring.datanode.server;

import java.util.Objects;

/**
 * Network settings of the datanode's Thrift port.
 *
 * @param host            address to bind (e.g. 127.0.0.1, or 0.0.0.0 for all interfaces)
 * @param port            port to bind; 0 picks a free one
 * @param maxFrameBytes   largest frame read; bigger frames drop the connection unread
 * @param selectorThreads threads doing socket I/O for all connections
 * @param workerThreads   threads running requests
 * @param workerQueue     requests waiting for a worker; beyond it new requests are refused
 *                        (that connection is closed) instead of queueing without bound
 */
public record ServerConfig(String host, int port, int maxFrameBytes, int selectorThreads, int workerThreads, int workerQueue) {
    public static final int DEFAULT_SELECTOR_THREADS = 2;
    public static final int DEFAULT_WORKER_THREADS = 32;
    public static final int DEFAULT_WORKER_QUEUE = 4096;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("max frame bytes too small: " + maxFrameBytes);
        }
        if (selectorThreads < 1 || workerThreads < 1 || workerQueue < 1) {
            throw new IllegalArgumentException("selector threads, worker threads and worker queue must be at least 1");
        }
    }

    public static ServerConfig of(String host, int port, int maxFrameBytes) {
        return new ServerConfig(host, port, maxFrameBytes, DEFAULT_SELECTOR_THREADS, DEFAULT_WORKER_THREADS, DEFAULT_WORKER_QUEUE);
    }
}
