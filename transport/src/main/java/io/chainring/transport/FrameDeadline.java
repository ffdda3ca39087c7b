package io.chainring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a connection whose frame does not arrive whole within the frame timeout of its first
 * byte (issue 12: a header announcing 16 MiB then silence, or a byte every 20 s, held a server's
 * resources forever). It follows frame boundaries in the bytes passing to the frame decoder
 * (4-byte length, then the body) without copying or holding anything; an idle connection between
 * frames is left alone (the per-address connection limit bounds those).
 */
final class FrameDeadline extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(FrameDeadline.class);

    private final long timeoutMillis;
    private int headerBytes;
    private int announced;
    private long bodyLeft;
    private long received;
    private ScheduledFuture<?> deadline;

    FrameDeadline(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            follow(ctx, buf);
        }
        ctx.fireChannelRead(msg);
    }

    /** Walks the bytes (without consuming them) and keeps a deadline while a frame is incomplete. */
    private void follow(ChannelHandlerContext ctx, ByteBuf buf) {
        int i = buf.readerIndex();
        int end = buf.writerIndex();
        while (i < end) {
            if (headerBytes == 0 && bodyLeft == 0) {
                started(ctx);
            }
            if (headerBytes < 4) {
                announced = (announced << 8) | buf.getUnsignedByte(i++);
                received++;
                if (++headerBytes == 4) {
                    bodyLeft = Integer.toUnsignedLong(announced);
                    if (bodyLeft == 0) {
                        finished();
                    }
                }
            } else {
                long take = Math.min(bodyLeft, end - i);
                i += (int) take;
                received += take;
                bodyLeft -= take;
                if (bodyLeft == 0) {
                    finished();
                }
            }
        }
    }

    private void started(ChannelHandlerContext ctx) {
        received = 0;
        deadline = ctx.executor().schedule(() -> expired(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
    }

    private void finished() {
        headerBytes = 0;
        announced = 0;
        cancel();
    }

    private void expired(ChannelHandlerContext ctx) {
        if (headerBytes == 0 && bodyLeft == 0) {
            return;
        }
        LOG.warn("closing the connection from {}: its frame did not arrive within {} ms ({} of {} bytes received)",
                ctx.channel().remoteAddress(), timeoutMillis, received,
                headerBytes < 4 ? "a 4-byte length and more" : String.valueOf(Integer.toUnsignedLong(announced) + 4));
        ctx.close();
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }
}
