package io.chainring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of {@link MemberHandshake}, first in a connection's pipeline: a connection
 * whose first four bytes are not the handshake's magic is a plain client — this handler steps
 * aside and its bytes go on to the frame decoder untouched; otherwise it runs the handshake,
 * records the proved member in the connection's {@link ConnectionAuth} and steps aside. A wrong
 * proof, a malformed hello or a handshake not finished in time closes the connection (one line).
 */
final class MemberAuthHandler extends ByteToMessageDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(MemberAuthHandler.class);

    private enum State { FIRST_BYTES, HELLO, PROOF, DONE }

    private final ClusterSecret secret;
    private final ConnectionAuth auth;
    private final long timeoutMillis;
    private State state = State.FIRST_BYTES;
    private byte[] clientNonce;
    private byte[] serverNonce;
    private byte[] id;
    private ScheduledFuture<?> deadline;

    MemberAuthHandler(ClusterSecret secret, ConnectionAuth auth, long timeoutMillis) {
        this.secret = secret;
        this.auth = auth;
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case FIRST_BYTES -> {
                if (deadline == null) { // the first bytes: they must say what they are in time
                    deadline = ctx.executor().schedule(() -> timedOut(ctx), timeoutMillis, TimeUnit.MILLISECONDS);
                }
                if (in.readableBytes() < 4) {
                    return;
                }
                if (in.getInt(in.readerIndex()) != MemberHandshake.MAGIC) {
                    stepAside(ctx); // a plain client: its bytes are frames
                    return;
                }
                state = State.HELLO;
                hello(ctx, in);
            }
            case HELLO -> hello(ctx, in);
            case PROOF -> proof(ctx, in);
            case DONE -> in.skipBytes(in.readableBytes()); // closing
        }
    }

    private void hello(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < MemberHandshake.HELLO_HEAD_BYTES) {
            return;
        }
        int start = in.readerIndex();
        byte version = in.getByte(start + 4);
        int idLength = in.getUnsignedShort(start + 5 + MemberHandshake.NONCE_BYTES);
        if (version != MemberHandshake.VERSION || idLength < 1 || idLength > MemberHandshake.MAX_ID_BYTES) {
            fail(ctx, "malformed cluster-member hello (version " + version + ", id length " + idLength + ")", false);
            return;
        }
        if (in.readableBytes() < MemberHandshake.HELLO_HEAD_BYTES + idLength) {
            return;
        }
        in.skipBytes(5);
        clientNonce = new byte[MemberHandshake.NONCE_BYTES];
        in.readBytes(clientNonce);
        in.skipBytes(2);
        id = new byte[idLength];
        in.readBytes(id);
        serverNonce = MemberHandshake.nonce();
        ByteBuf challenge = ctx.alloc().buffer(MemberHandshake.NONCE_BYTES + MemberHandshake.MAC_BYTES);
        challenge.writeBytes(serverNonce).writeBytes(MemberHandshake.serverProof(secret, clientNonce, serverNonce, id));
        ctx.writeAndFlush(challenge, ctx.voidPromise());
        state = State.PROOF;
        proof(ctx, in);
    }

    private void proof(ChannelHandlerContext ctx, ByteBuf in) {
        if (in.readableBytes() < MemberHandshake.MAC_BYTES) {
            return;
        }
        byte[] proof = new byte[MemberHandshake.MAC_BYTES];
        in.readBytes(proof);
        String member = new String(id, StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(proof, MemberHandshake.clientProof(secret, clientNonce, serverNonce, id))) {
            fail(ctx, "refused cluster member '" + member + "': wrong cluster secret", true);
            return;
        }
        auth.authenticated(member);
        ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(MemberHandshake.ACCEPTED), ctx.voidPromise());
        LOG.debug("connection from {} authenticated as cluster member {}", ctx.channel().remoteAddress(), member);
        stepAside(ctx);
    }

    private void fail(ChannelHandlerContext ctx, String why, boolean answer) {
        state = State.DONE;
        cancelDeadline();
        LOG.warn("closing the connection from {}: {}", ctx.channel().remoteAddress(), why);
        if (answer) {
            ctx.writeAndFlush(ctx.alloc().buffer(1).writeByte(MemberHandshake.REFUSED)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    private void timedOut(ChannelHandlerContext ctx) {
        if (state != State.DONE) {
            fail(ctx, "cluster-member handshake (or first frame header) not finished within " + timeoutMillis + " ms", false);
        }
    }

    private void stepAside(ChannelHandlerContext ctx) {
        state = State.DONE;
        cancelDeadline();
        ctx.pipeline().remove(this); // hands any bytes already read on to the frame decoder
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline();
    }
}
