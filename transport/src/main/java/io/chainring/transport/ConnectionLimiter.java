package io.chainring.transport;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most so many open connections per client address (issue 12: about 32 idle or trickling
 * connections took the controller's admin port down): a connection beyond the limit is closed at
 * once, and a WARN line says so — at most once a minute per address, so the attack does not
 * flood the log. Shared by all connections of one server.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);
    private static final AttributeKey<InetAddress> COUNTED = AttributeKey.valueOf("chainring.counted-address");
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final int maxPerAddress;
    private final ConcurrentHashMap<InetAddress, Integer> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<InetAddress, AtomicLong> lastLogged = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    ConnectionLimiter(int maxPerAddress) {
        this.maxPerAddress = maxPerAddress;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        SocketAddress remote = ctx.channel().remoteAddress();
        if (!(remote instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            super.channelActive(ctx);
            return;
        }
        InetAddress address = inet.getAddress();
        int now = open.merge(address, 1, Integer::sum);
        ctx.channel().attr(COUNTED).set(address);
        if (now > maxPerAddress) {
            refused.incrementAndGet();
            logRefusal(address);
            ctx.close();
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        InetAddress address = ctx.channel().attr(COUNTED).getAndSet(null);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
        super.channelInactive(ctx);
    }

    /** Connections refused since the server started. */
    long refused() {
        return refused.get();
    }

    private void logRefusal(InetAddress address) {
        long now = System.nanoTime();
        AtomicLong last = lastLogged.computeIfAbsent(address, a -> new AtomicLong(now - LOG_EVERY_NANOS));
        long before = last.get();
        if (now - before >= LOG_EVERY_NANOS && last.compareAndSet(before, now)) {
            LOG.warn("refusing connections from {}: it has {} open (limit {} per client address; logged at most once a minute)",
                    address.getHostAddress(), maxPerAddress, maxPerAddress);
        }
    }
}
