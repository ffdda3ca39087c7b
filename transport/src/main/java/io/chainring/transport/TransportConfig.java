package io.chainring.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * Network settings of one Thrift port.
 *
 * @param host                     address to bind (127.0.0.1, or 0.0.0.0 for all interfaces)
 * @param port                     port to bind; 0 picks a free one
 * @param maxFrameBytes            largest request frame; a longer one closes its connection before it is read
 * @param ioThreads                event-loop threads doing socket I/O for all connections (each
 *                                 connection stays on one) and running the methods a service declares inline
 * @param workerThreads            threads running requests; an asynchronous request holds one only until
 *                                 its handler has started, not until it is answered
 * @param frameTimeout             a frame must arrive whole within this long of its first byte, else its
 *                                 connection is closed (a stalled or trickling sender)
 * @param maxConnectionsPerAddress open connections allowed from one client address; more are closed at once
 * @param maxPartialFrameBytes     memory all connections together may hold in frames still arriving; a
 *                                 connection whose frame would take the server past it is closed
 */
public record TransportConfig(String host, int port, int maxFrameBytes, int ioThreads, int workerThreads, Duration frameTimeout,
                              int maxConnectionsPerAddress, long maxPartialFrameBytes) {
    /**
     * One event loop per core: the loops run the inline methods (reads, single-key writes, the
     * replication stream), so with one loop a node could use one core for them however many it had.
     */
    public static final int DEFAULT_IO_THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());
    public static final int DEFAULT_WORKER_THREADS = 32;
    /** A 16 MiB frame needs about 13 s at 10 Mbit/s: generous for a real client, short for a stalled one. */
    public static final Duration DEFAULT_FRAME_TIMEOUT = Duration.ofSeconds(30);
    /**
     * Generous: a benchmark or a busy application server opens many connections from one
     * address, and every peer a few (stream, acks, pooled calls).
     */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 1024;
    /**
     * A quarter of the heap, between 64 MiB and 256 MiB: room for sixteen 16 MiB frames arriving at
     * once, while a thousand connections each announcing 16 MiB and sending it slowly cannot take the heap.
     */
    public static final long DEFAULT_MAX_PARTIAL_FRAME_BYTES =
            Math.max(64L << 20, Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 4));

    public TransportConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(frameTimeout, "frameTimeout");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
        if (maxFrameBytes < 1024 || maxFrameBytes >= MemberHandshake.MAGIC - 4) {
            throw new IllegalArgumentException("max frame bytes out of range 1024.." + (MemberHandshake.MAGIC - 5) + ": " + maxFrameBytes);
        }
        if (ioThreads < 1 || workerThreads < 1) {
            throw new IllegalArgumentException("io threads and worker threads must be at least 1");
        }
        if (frameTimeout.isNegative() || frameTimeout.isZero()) {
            throw new IllegalArgumentException("frame timeout must be positive: " + frameTimeout);
        }
        if (maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("max connections per address must be at least 1: " + maxConnectionsPerAddress);
        }
        if (maxPartialFrameBytes < maxFrameBytes + 4L) {
            throw new IllegalArgumentException("max partial frame bytes " + maxPartialFrameBytes
                    + " must hold at least one whole frame (" + (maxFrameBytes + 4L) + ")");
        }
    }

    /** With the default frame timeout and connection limit. */
    public TransportConfig(String host, int port, int maxFrameBytes, int ioThreads, int workerThreads) {
        this(host, port, maxFrameBytes, ioThreads, workerThreads, DEFAULT_FRAME_TIMEOUT, DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                Math.max(DEFAULT_MAX_PARTIAL_FRAME_BYTES, maxFrameBytes + 4L));
    }

    public static TransportConfig of(String host, int port, int maxFrameBytes) {
        return new TransportConfig(host, port, maxFrameBytes, DEFAULT_IO_THREADS, DEFAULT_WORKER_THREADS);
    }

    public TransportConfig withFrameTimeout(Duration value) {
        return new TransportConfig(host, port, maxFrameBytes, ioThreads, workerThreads, value, maxConnectionsPerAddress,
                maxPartialFrameBytes);
    }

    public TransportConfig withMaxConnectionsPerAddress(int value) {
        return new TransportConfig(host, port, maxFrameBytes, ioThreads, workerThreads, frameTimeout, value, maxPartialFrameBytes);
    }

    public TransportConfig withMaxPartialFrameBytes(long value) {
        return new TransportConfig(host, port, maxFrameBytes, ioThreads, workerThreads, frameTimeout, maxConnectionsPerAddress, value);
    }
}
