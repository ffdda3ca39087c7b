package io.chainring.transport;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The event-loop threads of one process's Thrift traffic, shared by its server and its
 * asynchronous clients ({@link AsyncThriftChannel}): a datanode's peer stream then runs on the
 * same threads that serve its client calls, so a write that reaches the head and the batch that
 * carries it down the chain need no hand-off between threads. Native epoll where available.
 */
public final class EventLoops implements AutoCloseable {
    private static final int STOP_TIMEOUT_SECONDS = 5;

    private final EventLoopGroup group;
    private final boolean epoll;

    private EventLoops(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** {@code threads} event loops named {@code name-io-N} (daemon threads). */
    public static EventLoops create(String name, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("event loops need at least one thread: " + threads);
        }
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory factory = new DefaultThreadFactory(name + "-io", true);
        return new EventLoops(epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory), epoll);
    }

    EventLoopGroup group() {
        return group;
    }

    /** The next loop, round robin: a new connection stays on the loop it was given. */
    public EventLoop next() {
        return group.next();
    }

    boolean epoll() {
        return epoll;
    }

    Class<? extends ServerChannel> serverChannelType() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    Class<? extends Channel> channelType() {
        return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public boolean isShutdown() {
        return group.isShuttingDown();
    }

    /** Stops the loops; connections still open on them are closed (their pending calls fail). */
    @Override
    public void close() {
        group.shutdownGracefully(0, STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS).awaitUninterruptibly(STOP_TIMEOUT_SECONDS * 2L, TimeUnit.SECONDS);
    }
}
