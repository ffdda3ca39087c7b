package io.chainring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: runs its requests one at a time, in order (Thrift clients send the next
 * call after the answer), on this event loop or the worker pool as the service declares. While a request runs, further frames wait here and
 * the connection stops reading, so a client cannot queue unbounded work or memory. All state is
 * touched on the connection's event loop only.
 */
final class ThriftConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftConnection.class);

    private final Dispatcher dispatcher;
    private final Executor workers;
    private final ArrayDeque<ByteBuf> waiting = new ArrayDeque<>();
    private boolean busy;
    private boolean closed;
    private String peer = "?";

    ThriftConnection(Dispatcher dispatcher, Executor workers) {
        this.dispatcher = dispatcher;
        this.workers = workers;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        peer = String.valueOf(ctx.channel().remoteAddress());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        if (closed) {
            frame.release();
            return;
        }
        if (busy) {
            waiting.add(frame);
            ctx.channel().config().setAutoRead(false);
            return;
        }
        run(ctx, frame);
    }

    private void run(ChannelHandlerContext ctx, ByteBuf frame) {
        busy = true;
        try {
            dispatcher.dispatch(frame, peer, answer -> answered(ctx, answer), workers);
        } catch (RejectedExecutionException e) {
            LOG.debug("server stopping: closing connection from {}", peer);
            ctx.close();
        }
    }

    /** Called from any thread with the answer frame, or null to close the connection. */
    private void answered(ChannelHandlerContext ctx, ByteBuf answer) {
        if (ctx.executor().inEventLoop()) {
            next(ctx, answer);
        } else {
            ctx.executor().execute(() -> next(ctx, answer));
        }
    }

    private void next(ChannelHandlerContext ctx, ByteBuf answer) {
        busy = false;
        if (answer == null) {
            close(ctx);
            return;
        }
        if (closed) {
            answer.release();
            return;
        }
        ByteBuf following = waiting.poll();
        if (following != null) {
            ctx.write(answer, ctx.voidPromise());
            ctx.flush();
            run(ctx, following);
        } else {
            ctx.writeAndFlush(answer, ctx.voidPromise());
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        closed = true;
        releaseWaiting();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            LOG.warn("closing the connection from {}: {}", peer, cause.getMessage());
        } else if (cause instanceof IOException) {
            LOG.debug("connection from {} failed: {}", peer, cause.toString());
        } else {
            LOG.warn("closing the connection from {}: {}", peer, cause.toString());
        }
        close(ctx);
    }

    private void close(ChannelHandlerContext ctx) {
        closed = true;
        releaseWaiting();
        ctx.close();
    }

    private void releaseWaiting() {
        ByteBuf b;
        while ((b = waiting.poll()) != null) {
            b.release();
        }
    }
}
