package io.chainring.client.internal;

import io.chainring.ring.HostPort;
import io.chainring.thrift.ControllerAdminService;
import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Thrift connection to one server (framed transport, binary protocol, multiplexed
 * services). Not thread-safe: one caller at a time, which the {@link ConnectionPool} ensures.
 */
public final class Connection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    public static final String KV = "kv";
    public static final String NODE_ADMIN = "node-admin";
    public static final String CONTROLLER_ADMIN = "controller-admin";

    private final HostPort address;
    private final SocketChannel channel;
    private final TSocket socket;
    private final TFramedTransport transport;
    private final TProtocol protocol;
    private KvService.Client kv;
    private NodeAdminService.Client nodeAdmin;
    private ControllerAdminService.Client controllerAdmin;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile long idleSinceNanos = System.nanoTime();

    private Connection(HostPort address, SocketChannel channel, TSocket socket, TFramedTransport transport) {
        this.address = address;
        this.channel = channel;
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
        // a channel-backed socket, so that an idle connection can be checked without blocking
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            throw new TTransportException(TTransportException.NOT_OPEN, e);
        }
        try {
            channel.socket().connect(new InetSocketAddress(dial.host(), dial.port()), connectMillis);
            TSocket socket = new TSocket(channel.socket());
            socket.getConfiguration().setMaxFrameSize(maxFrameSize);
            socket.getConfiguration().setMaxMessageSize(maxFrameSize + 1024);
            return new Connection(address, channel, socket, new TFramedTransport(socket, maxFrameSize));
        } catch (IOException | TTransportException | RuntimeException e) {
            closeQuietly(channel);
            throw e instanceof TTransportException te ? te : new TTransportException(TTransportException.NOT_OPEN, e);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing a channel that failed to connect: {}", e.toString());
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

    /**
     * Whether the server still holds this idle connection, checked without waiting: a server
     * never writes to an idle connection, so a non-blocking read that finds nothing means alive,
     * and end-of-stream or an error means the server closed it (e.g. it stopped or restarted).
     * Checked before every reuse, so that a request, a compare-and-set above all, is not sent into
     * a connection that was dead already (its failure would look like an unknown outcome).
     */
    /** Marks the connection idle from now (released to the pool). */
    void markIdle() {
        idleSinceNanos = System.nanoTime();
    }

    long idleNanos() {
        return System.nanoTime() - idleSinceNanos;
    }

    /** Not closed by this side (the server may have closed it: see {@link #probeAlive}). */
    boolean isOpen() {
        return !closed.get() && channel.isOpen() && channel.isConnected();
    }

    boolean probeAlive() {
        if (closed.get() || !channel.isOpen() || !channel.isConnected()) {
            return false;
        }
        try {
            channel.configureBlocking(false);
            try {
                return channel.read(ByteBuffer.allocate(1)) == 0; // -1: closed; >0: bytes nobody asked for
            } finally {
                channel.configureBlocking(true);
            }
        } catch (IOException | RuntimeException e) {
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
