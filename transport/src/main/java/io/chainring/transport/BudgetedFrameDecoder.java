package io.chainring.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts 4-byte-length frames (the length stripped; the limit counts the length field too) and charges
 * the bytes of the partial frame it holds to the server-wide {@link PartialFrameBudget}: after every
 * read the charge is what the decoder still holds (a frame not yet complete), so a complete frame
 * costs nothing once it is handed on. A read that would take the server past its budget closes
 * this connection (one WARN line a minute); the client sees a reset and may retry.
 */
final class BudgetedFrameDecoder extends LengthFieldBasedFrameDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetedFrameDecoder.class);

    private final PartialFrameBudget budget;
    /** Bytes charged for this connection (touched only on its event loop). */
    private long charged;

    BudgetedFrameDecoder(int maxFrameBytes, PartialFrameBudget budget) {
        super(maxFrameBytes + 4, 0, 4, 0, 4, true);
        this.budget = budget;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        super.channelRead(ctx, msg);
        if (!ctx.channel().isOpen()) {
            return;
        }
        long holding = actualReadableBytes();
        if (!budget.recharge(charged, holding)) {
            if (budget.warnNow()) {
                LOG.warn("partial-frame budget of {} bytes reached ({} held by connections with frames still arriving): "
                        + "closing the connection from {}, which holds {} (logged at most once a minute)",
                        budget.limitBytes(), budget.heldBytes(), ctx.channel().remoteAddress(), holding);
            }
            release();
            ctx.close();
            return;
        }
        charged = holding;
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) throws Exception {
        release();
        super.handlerRemoved0(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        release();
        super.channelInactive(ctx);
    }

    private void release() {
        budget.recharge(charged, 0);
        charged = 0;
    }
}
