package io.chainring.transport;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves multiplexed Thrift services (framed transport, strict binary protocol, "service:method"
 * names — what libthrift's {@code TMultiplexedProtocol} clients send) on Netty. Frames are cut
 * on the event loop; requests run on a worker pool, one at a time per connection; asynchronous
 * services answer when their handler completes, so a request waiting for something (a chain
 * write waiting for its acks) holds no thread. A frame longer than the maximum, or one that is
 * not a Thrift call, closes only its own connection; nothing is allocated for a frame's
 * announced size before its bytes arrive.
 */
public final class ThriftServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftServer.class);
    private static final int STOP_TIMEOUT_SECONDS = 5;

    /** The loops, when this server made them (closed with it); empty when shared with the process's clients. */
    private final Optional<EventLoops> ownLoops;
    private final ThreadPoolExecutor workers;
    private final Channel channel;
    /** Accepted connections: closed with the server even when the loops live on. */
    private final ChannelGroup connections;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ThriftServer(Optional<EventLoops> ownLoops, ThreadPoolExecutor workers, Channel channel, ChannelGroup connections) {
        this.ownLoops = ownLoops;
        this.workers = workers;
        this.channel = channel;
        this.connections = connections;
        this.port = ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** Binds the port and serves without a cluster secret (members-only services are open); returns once connections are accepted. */
    public static ThriftServer start(TransportConfig config, ThriftServices services) throws InterruptedException {
        return start(config, services, Optional.empty());
    }

    /**
     * Binds the port and serves; returns once connections are accepted. With a cluster secret, a
     * connection proves membership by {@link MemberHandshake} before its first frame, and
     * members-only methods ({@link Access}) are refused on connections that did not.
     */
    public static ThriftServer start(TransportConfig config, ThriftServices services, Optional<ClusterSecret> secret)
            throws InterruptedException {
        String name = "thrift-" + (config.port() == 0 ? "any" : String.valueOf(config.port()));
        EventLoops loops = EventLoops.create(name, config.ioThreads());
        try {
            return start(config, services, secret, loops, Optional.of(loops));
        } catch (InterruptedException | RuntimeException e) {
            loops.close();
            throw e;
        }
    }

    /**
     * Like {@link #start(TransportConfig, ThriftServices, Optional)} on event loops the process
     * shares with its asynchronous clients ({@code config.ioThreads()} is then theirs); closing the
     * server closes its connections, not the loops.
     */
    public static ThriftServer start(TransportConfig config, ThriftServices services, Optional<ClusterSecret> secret,
                                     EventLoops loops) throws InterruptedException {
        return start(config, services, secret, loops, Optional.empty());
    }

    private static ThriftServer start(TransportConfig config, ThriftServices services, Optional<ClusterSecret> secret,
                                      EventLoops loops, Optional<EventLoops> own) throws InterruptedException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(services, "services");
        Objects.requireNonNull(secret, "secret");
        String name = "thrift-" + (config.port() == 0 ? "any" : String.valueOf(config.port()));
        ChannelGroup connections = new DefaultChannelGroup(name, GlobalEventExecutor.INSTANCE);
        ThreadPoolExecutor workers = new ThreadPoolExecutor(config.workerThreads(), config.workerThreads(), 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), new DefaultThreadFactory(name + "-worker", true));
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        Dispatcher dispatcher = new Dispatcher(services, alloc, config.maxFrameBytes());
        ConnectionLimiter limiter = new ConnectionLimiter(config.maxConnectionsPerAddress());
        PartialFrameBudget partialFrames = new PartialFrameBudget(config.maxPartialFrameBytes());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(loops.group())
                .channel(loops.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, alloc)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ConnectionAuth auth = secret.isPresent() ? ConnectionAuth.enforced() : ConnectionAuth.unenforced();
                        ch.pipeline().addLast("limit", limiter);
                        secret.ifPresent(s -> ch.pipeline().addLast("member-auth", new MemberAuthHandler(s, auth, config.frameTimeout().toMillis())));
                        ch.pipeline()
                                .addLast("frame-deadline", new FrameDeadline(config.frameTimeout().toMillis()))
                                .addLast("frames", new BudgetedFrameDecoder(config.maxFrameBytes(), partialFrames))
                                .addLast("thrift", new ThriftConnection(dispatcher.on(auth), workers));
                    }
                });
        try {
            Channel channel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).sync().channel();
            ThriftServer server = new ThriftServer(own, workers, channel, connections);
            LOG.info("thrift server on {}:{} serving {} (max frame {} bytes within {} ms, {} connections per client address, "
                    + "{} bytes in partial frames, {} transport, {})", config.host(), server.port, services.names(),
                    config.maxFrameBytes(), config.frameTimeout().toMillis(), config.maxConnectionsPerAddress(),
                    config.maxPartialFrameBytes(), loops.epoll() ? "epoll" : "nio",
                    secret.isPresent() ? "cluster members authenticated" : "no cluster secret");
            if (secret.isEmpty() && services.hasMembersOnly()) {
                LOG.warn("thrift server on port {}: no cluster secret, so internal services are open to anyone who can reach "
                        + "the port (give every node --cluster-secret-file; DESIGN: Security)", server.port);
            }
            return server;
        } catch (InterruptedException | RuntimeException e) {
            workers.shutdownNow();
            throw e;
        }
    }

    /** The bound port (the picked one when configured with 0). */
    public int port() {
        return port;
    }

    public boolean isServing() {
        return !closed.get() && channel.isActive();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        channel.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        // in-flight answers are dropped with their connections: the clients see the outcome as unknown
        connections.close().awaitUninterruptibly(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        ownLoops.ifPresent(EventLoops::close);
        workers.shutdown();
        try {
            if (!workers.awaitTermination(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                LOG.warn("thrift server on port {}: requests still running after {} s", port, STOP_TIMEOUT_SECONDS);
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        LOG.info("thrift server on port {} stopped", port);
    }
}
