package io.chainring.client.internal;

import io.chainring.ring.HostPort;
import io.chainring.thrift.KvService;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.thrift.async.TAsyncClientManager;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocolFactory;
import org.apache.thrift.transport.TNonblockingSocket;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One non-blocking Thrift connection to one datanode's kv service, driven by a shared
 * {@link TAsyncClientManager} selector thread. Carries one call at a time (libthrift's
 * {@code TAsyncClient} refuses a second one), which the {@link AsyncConnectionPool} ensures.
 *
 * <p>The async method calls frame their messages themselves (the same 4-byte length prefix as
 * {@code TFramedTransport}) and write the message name through the protocol the factory gives, so a
 * {@link TMultiplexedProtocol} over binary yields {@code "kv:get"}, as the datanode's
 * {@code TMultiplexedProcessor} expects; answers come back with the plain name, which the generated
 * {@code recv_*} does not check.
 */
final class AsyncConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncConnection.class);
    /** Writes "kv:method" message names; reads plain binary. */
    static final TProtocolFactory KV_PROTOCOL = transport -> new TMultiplexedProtocol(new TBinaryProtocol(transport), Connection.KV);

    private final HostPort address;
    private final FrameLimitedSocket socket;
    private final KvService.AsyncClient client;
    private final AtomicBoolean closed = new AtomicBoolean();

    private AsyncConnection(HostPort address, FrameLimitedSocket socket, KvService.AsyncClient client) {
        this.address = address;
        this.socket = socket;
        this.client = client;
    }

    /**
     * Connects (blocking, up to {@code connectMillis}: connections are opened rarely and on a
     * worker thread, never on the selector thread) and hands the socket to the manager.
     *
     * @param address the pool's key: the address as the ring names it
     * @param dial    where to actually connect
     */
    static AsyncConnection open(HostPort address, HostPort dial, int connectMillis, int maxFrameSize,
                                TAsyncClientManager manager) throws TTransportException {
        SocketChannel channel;
        try {
            channel = SocketChannel.open();
        } catch (IOException e) {
            throw new TTransportException(TTransportException.NOT_OPEN, e);
        }
        try {
            channel.socket().setTcpNoDelay(true);
            channel.socket().connect(new InetSocketAddress(dial.host(), dial.port()), Math.max(1, connectMillis));
            FrameLimitedSocket socket = new FrameLimitedSocket(channel, maxFrameSize);
            return new AsyncConnection(address, socket, new KvService.AsyncClient(KV_PROTOCOL, manager, socket));
        } catch (IOException | TTransportException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException ce) {
                LOG.debug("closing a channel that failed to connect: {}", ce.toString());
            }
            throw e instanceof TTransportException te ? te : new TTransportException(TTransportException.NOT_OPEN, e);
        }
    }

    HostPort address() {
        return address;
    }

    /**
     * The client for the next call, its timeout set (the manager's selector thread fails the call
     * with a {@code TimeoutException} once it passes).
     */
    KvService.AsyncClient kv(long timeoutMillis) {
        client.setTimeout(Math.max(1, timeoutMillis));
        return client;
    }

    /**
     * Whether the server still holds this idle connection, checked without waiting (see
     * {@link Connection#probeAlive()}: a server never writes to an idle connection).
     */
    boolean probeAlive() {
        SocketChannel channel = socket.getSocketChannel();
        if (closed.get() || client.hasError() || !channel.isOpen() || !channel.isConnected()) {
            return false;
        }
        try {
            return channel.read(ByteBuffer.allocate(1)) == 0; // the channel is non-blocking
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            socket.close();
        }
    }

    @Override
    public String toString() {
        return "async connection to " + address;
    }

    /**
     * The async method calls allocate whatever frame size the server announces; this refuses one
     * above the client's maximum before the buffer is allocated (as {@code TFramedTransport} does
     * for blocking calls). The size is read into a 4-byte buffer, and no answer body is that short.
     */
    static final class FrameLimitedSocket extends TNonblockingSocket {
        private final int maxFrameSize;

        FrameLimitedSocket(SocketChannel channel, int maxFrameSize) throws IOException, TTransportException {
            super(channel);
            this.maxFrameSize = maxFrameSize;
        }

        @Override
        public int read(ByteBuffer buffer) throws TTransportException {
            int n = super.read(buffer);
            if (n > 0 && buffer.capacity() == 4 && !buffer.hasRemaining()) {
                int size = buffer.getInt(0);
                if (size < 0 || size > maxFrameSize) {
                    throw new TTransportException(TTransportException.CORRUPTED_DATA,
                            "frame size " + size + " exceeds the maximum of " + maxFrameSize);
                }
            }
            return n;
        }
    }
}
