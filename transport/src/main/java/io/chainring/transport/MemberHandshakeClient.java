package io.chainring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.Promise;
import java.security.MessageDigest;
import java.util.List;
import org.apache.thrift.transport.TTransportException;

/**
 * The client side of {@link MemberHandshake} on a Netty connection, first in its pipeline: sends
 * the hello when the connection opens, checks the server's proof, sends its own and waits for the
 * verdict; then steps aside (later bytes are frames) and completes {@code done}. A server that
 * cannot prove the secret, refuses, or closes fails {@code done}; the caller closes the connection.
 */
final class MemberHandshakeClient extends ByteToMessageDecoder {
    private enum State { CHALLENGE, VERDICT, DONE, FAILED }

    private final MemberHandshake.Credentials credentials;
    private final Promise<Void> done;
    private final byte[] id;
    private final byte[] clientNonce = MemberHandshake.nonce();
    private State state = State.CHALLENGE;

    MemberHandshakeClient(MemberHandshake.Credentials credentials, Promise<Void> done) {
        this.credentials = credentials;
        this.done = done;
        this.id = MemberHandshake.idBytes(credentials.memberId());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(MemberHandshake.hello(clientNonce, id)), ctx.voidPromise());
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (state == State.CHALLENGE) {
            if (in.readableBytes() < MemberHandshake.NONCE_BYTES + MemberHandshake.MAC_BYTES) {
                return;
            }
            byte[] serverNonce = new byte[MemberHandshake.NONCE_BYTES];
            byte[] serverProof = new byte[MemberHandshake.MAC_BYTES];
            in.readBytes(serverNonce).readBytes(serverProof);
            if (!MessageDigest.isEqual(serverProof, MemberHandshake.serverProof(credentials.secret(), clientNonce, serverNonce, id))) {
                fail("the server did not prove the cluster secret: it is not a member of this cluster (another secret?)");
                return;
            }
            ctx.writeAndFlush(Unpooled.wrappedBuffer(MemberHandshake.clientProof(credentials.secret(), clientNonce, serverNonce, id)),
                    ctx.voidPromise());
            state = State.VERDICT;
        }
        if (state == State.VERDICT && in.readableBytes() >= 1) {
            if (in.readByte() != MemberHandshake.ACCEPTED) {
                fail("the server refused member " + credentials.memberId() + ": wrong cluster secret");
                return;
            }
            state = State.DONE;
            ctx.pipeline().remove(this); // hands any bytes already read on to the frame decoder
            done.trySuccess(null);
        }
        if (state == State.FAILED) {
            in.skipBytes(in.readableBytes()); // the caller closes the connection
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (state != State.DONE && state != State.FAILED) {
            fail("the connection ended during the cluster-member handshake (the server has no cluster secret, or refused this one)");
        }
        super.channelInactive(ctx);
    }

    private void fail(String why) {
        state = State.FAILED;
        done.tryFailure(new TTransportException(TTransportException.UNKNOWN, why));
    }
}
