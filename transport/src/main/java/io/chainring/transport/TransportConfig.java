package io.chainring.transport;

import java.util.Objects;

/**
 * Network settings of one Thrift port.
 *
 * @param host          address to bind (127.0.0.1, or 0.0.0.0 for all interfaces)
 * @param port          port to bind; 0 picks a free one
 * @param maxFrameBytes largest request frame; a longer one closes its connection before it is read
 * @param ioThreads     event-loop threads doing socket I/O for all connections
 * @param workerThreads threads running requests; an asynchronous request holds one only until
 *                      its handler has started, not until it is answered
 */
public record TransportConfig(String host, int port, int maxFrameBytes, int ioThreads, int workerThreads) {
    public static final int DEFAULT_IO_THREADS = 1;
    public static final int DEFAULT_WORKER_THREADS = 32;

    public TransportConfig {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("max frame bytes too small: " + maxFrameBytes);
        }
        if (ioThreads < 1 || workerThreads < 1) {
            throw new IllegalArgumentException("io threads and worker threads must be at least 1");
        }
    }

    public static TransportConfig of(String host, int port, int maxFrameBytes) {
        return new TransportConfig(host, port, maxFrameBytes, DEFAULT_IO_THREADS, DEFAULT_WORKER_THREADS);
    }
}
