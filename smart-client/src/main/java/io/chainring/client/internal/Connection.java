package io.chainring.client.internal;

import io.chainring.ring.HostPort;
import io.chainring.thrift.ControllerAdminService;
import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * One open Thrift connection to one server (framed transport, binary protocol, multiplexed
 * services). Not thread-safe: one caller at a time, which the {@link ConnectionPool} ensures.
 */
public final class Connection implements AutoCloseable {
    public static final String KV = "kv";
    public static final String NODE_ADMIN = "node-admin";
    public static final String CONTROLLER_ADMIN = "controller-admin";

    private final HostPort address;
    private final TSocket socket;
    private final TFramedTransport transport;
    private final TProtocol protocol;
    private KvService.Client kv;
    private NodeAdminService.Client nodeAdmin;
    private ControllerAdminService.Client controllerAdmin;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long idleSinceNanos = System.nanoTime();

    private Connection(HostPort address, TSocket socket, TFramedTransport transport) {
        this.address = address;
        this.socket = socket;
        this.transport = transport;
        this.protocol = new TBinaryProtocol(transport);
    }

    /**
     * Opens a connection.
     *
     * @param address        the pool's key: the address as the ring names it
     * @param dial           where to actually connect (usually the same)
     * @param connectMillis  connect timeout, at least 1
     * @param maxFrameSize   the largest frame accepted from the server
     */
    public static Connection open(HostPort address, HostPort dial, int connectMillis, int maxFrameSize)
            throws TTransportException {
        TConfiguration conf = new TConfiguration(maxFrameSize + 1024, maxFrameSize, TConfiguration.DEFAULT_RECURSION_DEPTH);
        TSocket socket = new TSocket(conf, dial.host(), dial.port(), connectMillis, connectMillis);
        socket.open();
        try {
            return new Connection(address, socket, new TFramedTransport(socket, maxFrameSize));
        } catch (TTransportException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public HostPort address() {
        return address;
    }

    /** Read timeout for the next call; always at least 1 ms (0 would wait forever). */
    public void timeout(int millis) {
        socket.setSocketTimeout(Math.max(1, millis));
    }

    public KvService.Client kv() {
        if (kv == null) {
            kv = new KvService.Client(new TMultiplexedProtocol(protocol, KV));
        }
        return kv;
    }

    public NodeAdminService.Client nodeAdmin() {
        if (nodeAdmin == null) {
            nodeAdmin = new NodeAdminService.Client(new TMultiplexedProtocol(protocol, NODE_ADMIN));
        }
        return nodeAdmin;
    }

    public ControllerAdminService.Client controllerAdmin() {
        if (controllerAdmin == null) {
            controllerAdmin = new ControllerAdminService.Client(new TMultiplexedProtocol(protocol, CONTROLLER_ADMIN));
        }
        return controllerAdmin;
    }

    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSinceNanos;
    }

    /**
     * Whether the server still holds this idle connection. A server never writes to an idle
     * connection, so a 1 ms read that times out means alive; end-of-stream or an error means the
     * server closed it (e.g. it restarted). Checked before reusing a long-idle connection, so a
     * compare-and-set is not lost to a connection that was dead before it was sent.
     */
    boolean probeAlive() {
        Socket s = socket.getSocket();
        if (s == null || s.isClosed() || !s.isConnected()) {
            return false;
        }
        try {
            int before = s.getSoTimeout();
            s.setSoTimeout(1);
            try {
                InputStream in = s.getInputStream();
                in.read(); // end of stream, or bytes nobody asked for: either way unusable
                return false;
            } catch (SocketTimeoutException expected) {
                return true;
            } finally {
                s.setSoTimeout(before);
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        // the pool may close a connection in use while its owner discards it: close once
        if (closed.compareAndSet(false, true)) {
            transport.close();
        }
    }

    @Override
    public String toString() {
        return "connection to " + address;
    }
}
