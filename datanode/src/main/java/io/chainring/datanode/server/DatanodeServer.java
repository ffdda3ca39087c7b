package io.chainring.datanode.server;

import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TMultiplexedProcessor;
import org.apache.thrift.TProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TThreadedSelectorServer;
import org.apache.thrift.transport.TNonblockingServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The datanode's one Thrift port (DESIGN §8): a multiplexed processor over framed binary
 * protocol, served by a {@link TThreadedSelectorServer} — a few selector threads handle all
 * connections, a bounded worker pool runs requests. A frame larger than the configured maximum
 * closes its connection before anything is allocated for it; a malformed request closes only
 * its own connection.
 */
public final class DatanodeServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DatanodeServer.class);
    private static final long START_TIMEOUT_MS = 10_000;
    private static final int STOP_TIMEOUT_SECONDS = 5;

    private final TNonblockingServerSocket socket;
    private final TThreadedSelectorServer server;
    private final Thread serveThread;
    private final int port;
    private final AtomicInteger state = new AtomicInteger(); // 0 running, 1 closed

    private DatanodeServer(TNonblockingServerSocket socket, TThreadedSelectorServer server, int port) {
        this.socket = socket;
        this.server = server;
        this.port = port;
        this.serveThread = new Thread(server::serve, "thrift-server-" + port);
        serveThread.setDaemon(true);
    }

    /**
     * Binds the port and starts serving the given services (name → processor, e.g. "kv").
     * Returns once the server accepts connections.
     */
    public static DatanodeServer start(ServerConfig config, Map<String, TProcessor> services) throws TTransportException {
        Objects.requireNonNull(config, "config");
        if (services.isEmpty()) {
            throw new IllegalArgumentException("no services to serve");
        }
        TMultiplexedProcessor processor = new TMultiplexedProcessor();
        services.forEach(processor::registerProcessor);

        TNonblockingServerSocket socket = new TNonblockingServerSocket(new TNonblockingServerSocket.NonblockingAbstractServerSocketArgs()
                .bindAddr(new InetSocketAddress(config.host(), config.port()))
                .maxFrameSize(config.maxFrameBytes()));
        int port = socket.getPort();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(),
                60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.workerQueue()), threads("thrift-worker-" + port + "-"));
        TThreadedSelectorServer.Args args = new TThreadedSelectorServer.Args(socket)
                .selectorThreads(config.selectorThreads())
                .executorService(workers)
                .stopTimeoutVal(STOP_TIMEOUT_SECONDS)
                .stopTimeoutUnit(TimeUnit.SECONDS)
                .processor(processor)
                // strict read: a request must start with a versioned message header
                .protocolFactory(new TBinaryProtocol.Factory(true, true));
        // frames waiting for a worker may hold at most this much memory in total
        args.maxReadBufferBytes = Math.max(64L * 1024 * 1024, 4L * config.maxFrameBytes());
        DatanodeServer s = new DatanodeServer(socket, new TThreadedSelectorServer(args), port);
        s.serveThread.start();
        s.awaitServing();
        LOG.info("thrift server on {}:{} serving {} (max frame {} bytes)", config.host(), port, services.keySet(), config.maxFrameBytes());
        return s;
    }

    /** The bound port (the picked one when configured with 0). */
    public int port() {
        return port;
    }

    public boolean isServing() {
        return server.isServing();
    }

    @Override
    public void close() {
        if (!state.compareAndSet(0, 1)) {
            return;
        }
        server.stop();
        try {
            serveThread.join(TimeUnit.SECONDS.toMillis(STOP_TIMEOUT_SECONDS * 2L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (serveThread.isAlive()) {
            LOG.warn("thrift server on port {} did not stop in time", port);
        }
        socket.close();
        LOG.info("thrift server on port {} stopped", port);
    }

    private void awaitServing() throws TTransportException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!server.isServing() && serveThread.isAlive() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (!server.isServing()) {
            close();
            throw new TTransportException("thrift server on port " + port + " did not start within " + START_TIMEOUT_MS + " ms");
        }
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
