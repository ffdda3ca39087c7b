package io.chainring.controller.admin;

import io.chainring.thrift.ControllerAdminService;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.thrift.TMultiplexedProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's Thrift server (DESIGN §8): framed transport with a maximum frame size, binary
 * protocol with length limits, one {@link TMultiplexedProcessor} carrying
 * {@value #SERVICE_NAME}. A bad frame closes only its own connection.
 */
public final class AdminServer implements AutoCloseable {
    public static final String SERVICE_NAME = "controller-admin";
    /** Admin requests are tiny; a bigger frame is a bad client, not a reason to allocate. */
    public static final int MAX_FRAME_BYTES = 1 << 20;
    private static final int MAX_WORKERS = 32;
    /** An idle admin connection is closed after this long, so workers do not pile up. */
    private static final int CLIENT_IDLE_MILLIS = 60_000;

    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    private final TServerSocket socket;
    private final TThreadPoolServer server;
    private final Thread serving;
    private final int port;

    private AdminServer(TServerSocket socket, TThreadPoolServer server, Thread serving) {
        this.socket = socket;
        this.server = server;
        this.serving = serving;
        this.port = socket.getServerSocket().getLocalPort();
    }

    /**
     * Binds {@code host:port} (port 0 picks a free one) and starts serving.
     *
     * @throws IllegalStateException when the address cannot be bound
     */
    public static AdminServer start(String host, int port, ControllerAdminService.Iface handler) {
        // no unbounded recursion on a deeply nested request (see DatanodeServer.MAX_SKIP_DEPTH)
        TProtocolUtil.setMaxSkipDepth(64);
        TServerSocket socket;
        try {
            socket = new TServerSocket(new TServerSocket.ServerSocketTransportArgs()
                    .bindAddr(new InetSocketAddress(host, port))
                    .clientTimeout(CLIENT_IDLE_MILLIS));
        } catch (TTransportException e) {
            throw new IllegalStateException("cannot listen for admin requests on " + host + ":" + port + ": "
                    + e.getMessage(), e);
        }
        TMultiplexedProcessor processor = new TMultiplexedProcessor();
        processor.registerProcessor(SERVICE_NAME, new ControllerAdminService.Processor<>(handler));
        TThreadPoolServer server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(processor)
                .transportFactory(new TFramedTransport.Factory(MAX_FRAME_BYTES))
                .protocolFactory(new TBinaryProtocol.Factory(MAX_FRAME_BYTES, 1 << 16))
                .executorService(workers())
                .stopTimeoutVal(1)
                .stopTimeoutUnit(TimeUnit.SECONDS));
        Thread serving = new Thread(server::serve, "controller-admin-accept");
        serving.setDaemon(true);
        serving.start();
        AdminServer admin = new AdminServer(socket, server, serving);
        log.info("controller admin service listening on {}:{}", host, admin.port());
        return admin;
    }

    private static ExecutorService workers() {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(0, MAX_WORKERS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "controller-admin-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** The bound port (the real one when 0 was asked for). */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stop();
        try {
            serving.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        socket.close();
    }
}
