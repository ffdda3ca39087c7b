package io.chainring.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An asynchronous Thrift client on one Netty connection (framed, strict binary, multiplexed
 * "service:method" names — what the server expects from every client). A call returns at once;
 * its future completes on the connection's event loop when the answer arrives: the value, the
 * declared exception, or a transport failure. Calls may be pipelined: the server answers a
 * connection's calls in order. A call not answered within the timeout fails and closes the
 * connection (a later answer could not be told apart), failing the calls behind it too.
 *
 * <p>Made for node-to-node streams that run on the same event loops as the server
 * ({@link EventLoops}): a call made on its connection's loop is written without a thread hand-off.
 */
public final class AsyncThriftChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AsyncThriftChannel.class);
    private static final ClassValue<ResultCodec> CODECS = new ClassValue<>() {
        @Override
        protected ResultCodec computeValue(Class<?> argsType) {
            return ResultCodec.forArgs(argsType);
        }
    };

    private final Channel channel;
    private final Calls calls;
    private final String remote;

    private AsyncThriftChannel(Channel channel, Calls calls, String remote) {
        this.channel = channel;
        this.calls = calls;
        this.remote = remote;
    }

    /**
     * Connects on {@code loop}; with credentials, proves cluster membership ({@link MemberHandshake})
     * before the future completes. The future completes on the loop.
     *
     * @param timeout connect (and handshake) timeout, and each call's answer timeout
     */
    public static CompletableFuture<AsyncThriftChannel> connect(EventLoops loops, EventLoop loop, String host, int port,
                                                                int maxFrameBytes, Duration timeout,
                                                                Optional<MemberHandshake.Credentials> credentials) {
        Objects.requireNonNull(credentials, "credentials");
        String remote = host + ":" + port;
        CompletableFuture<AsyncThriftChannel> result = new CompletableFuture<>();
        Calls calls = new Calls(remote, maxFrameBytes, timeout.toMillis());
        Promise<Void> handshake = loop.newPromise();
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(loops.channelType())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        credentials.ifPresent(c -> ch.pipeline().addLast("member-auth", new MemberHandshakeClient(c, handshake)));
                        ch.pipeline()
                                .addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameBytes + 4, 0, 4, 0, 4, true))
                                .addLast("calls", calls);
                    }
                });
        ChannelFuture connected = bootstrap.connect(host, port);
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                result.completeExceptionally(new TTransportException(TTransportException.NOT_OPEN,
                        "cannot connect to " + remote + ": " + f.cause(), f.cause()));
                return;
            }
            Channel ch = connected.channel();
            AsyncThriftChannel c = new AsyncThriftChannel(ch, calls, remote);
            if (credentials.isEmpty()) {
                result.complete(c);
                return;
            }
            ScheduledFuture<?> deadline = ch.eventLoop().schedule(() -> handshake.tryFailure(new TTransportException(
                    TTransportException.TIMED_OUT, "cluster-member handshake with " + remote + " not finished within " + timeout.toMillis()
                    + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
            handshake.addListener(h -> {
                deadline.cancel(false);
                if (h.isSuccess()) {
                    result.complete(c);
                } else {
                    ch.close();
                    Throwable cause = h.cause();
                    result.completeExceptionally(cause instanceof TTransportException t
                            ? new TTransportException(t.getType(), remote + ": " + t.getMessage(), t)
                            : new TTransportException(TTransportException.UNKNOWN, remote + ": " + cause, cause));
                }
            });
        });
        return result;
    }

    /**
     * Calls {@code service:method} with its generated arguments struct ({@code Service.put_args});
     * the future gets the method's value (null for void) or fails with its declared exception, a
     * {@link TApplicationException}, or a {@link TTransportException} when the call was not answered.
     */
    public CompletableFuture<Object> call(String service, String method, TBase<?, ?> args) {
        CompletableFuture<Object> answer = new CompletableFuture<>();
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            calls.send(service + ":" + method, args, answer);
        } else {
            loop.execute(() -> calls.send(service + ":" + method, args, answer));
        }
        return answer;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    /** The loop this connection's I/O and completions run on. */
    public EventLoop eventLoop() {
        return channel.eventLoop();
    }

    public String remote() {
        return remote;
    }

    /** Closes the connection; calls not answered yet fail. */
    @Override
    public void close() {
        channel.close();
    }

    /** The calls in flight on one connection, in the order sent (touched on its event loop only). */
    private static final class Calls extends ChannelInboundHandlerAdapter {
        private record Pending(int seqid, String name, ResultCodec codec, CompletableFuture<Object> answer, ScheduledFuture<?> timeout) {
        }

        private final String remote;
        private final int maxFrameBytes;
        private final long timeoutMillis;
        private final TConfiguration configuration;
        private final ArrayDeque<Pending> pending = new ArrayDeque<>();
        private ChannelHandlerContext ctx;
        private int nextSeqid;
        private boolean closed;

        Calls(String remote, int maxFrameBytes, long timeoutMillis) {
            this.remote = remote;
            this.maxFrameBytes = maxFrameBytes;
            this.timeoutMillis = timeoutMillis;
            this.configuration = new TConfiguration(maxFrameBytes, maxFrameBytes, TConfiguration.DEFAULT_RECURSION_DEPTH);
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        void send(String name, TBase<?, ?> args, CompletableFuture<Object> answer) {
            if (closed || !ctx.channel().isActive()) {
                answer.completeExceptionally(new TTransportException(TTransportException.NOT_OPEN, "connection to " + remote + " is closed"));
                return;
            }
            int seqid = ++nextSeqid;
            ByteBuf out = ctx.alloc().buffer();
            try {
                out.writeInt(0);
                TProtocol p = protocol(out);
                p.writeMessageBegin(new TMessage(name, TMessageType.CALL, seqid));
                args.write(p);
                p.writeMessageEnd();
            } catch (TException | RuntimeException e) {
                out.release();
                answer.completeExceptionally(e instanceof TException t ? t
                        : new TTransportException(TTransportException.UNKNOWN, "cannot encode " + name + ": " + e, e));
                return;
            }
            int length = out.readableBytes() - 4;
            if (length > maxFrameBytes) {
                out.release();
                answer.completeExceptionally(new TTransportException(TTransportException.UNKNOWN, name + " not sent: its request of "
                        + length + " bytes is above the largest frame (" + maxFrameBytes + " bytes)"));
                return;
            }
            out.setInt(0, length);
            ScheduledFuture<?> timeout = ctx.executor().schedule(() -> timedOut(seqid), timeoutMillis, TimeUnit.MILLISECONDS);
            pending.add(new Pending(seqid, name, CODECS.get(args.getClass()), answer, timeout));
            ctx.writeAndFlush(out, ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                TProtocol in = protocol(frame);
                TMessage header = in.readMessageBegin();
                Pending call = pending.poll();
                if (call == null || header.seqid != call.seqid()) {
                    if (call != null) {
                        pending.addFirst(call);
                    }
                    throw new TTransportException(TTransportException.UNKNOWN, "answer " + header.name + " #" + header.seqid
                            + " matches no call in flight");
                }
                call.timeout().cancel(false);
                if (header.type == TMessageType.EXCEPTION) {
                    call.answer().completeExceptionally(TApplicationException.readFrom(in));
                    return;
                }
                Object value;
                try {
                    value = call.codec().read(in, call.name());
                } catch (TApplicationException | TTransportException e) {
                    call.answer().completeExceptionally(e);
                    closeWith(e);
                    return;
                } catch (TException declared) {
                    call.answer().completeExceptionally(declared);
                    return;
                }
                call.answer().complete(value);
            } catch (TException | RuntimeException e) {
                LOG.debug("connection to {}: cannot read an answer: {}", remote, e.toString());
                closeWith(new TTransportException(TTransportException.UNKNOWN, "connection to " + remote + ": cannot read an answer: " + e, e));
            } finally {
                frame.release();
            }
        }

        private void timedOut(int seqid) {
            if (!closed) {
                closeWith(new TTransportException(TTransportException.TIMED_OUT, "call #" + seqid + " to " + remote
                        + " not answered within " + timeoutMillis + " ms"));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            failAll(new TTransportException(TTransportException.END_OF_FILE, "connection to " + remote + " closed"));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof IOException)) {
                LOG.debug("connection to {} failed: {}", remote, cause.toString());
            }
            closeWith(new TTransportException(TTransportException.UNKNOWN, "connection to " + remote + " failed: " + cause, cause));
        }

        private void closeWith(TException why) {
            failAll(why);
            ctx.close();
        }

        private void failAll(TException why) {
            closed = true;
            Pending p;
            while ((p = pending.poll()) != null) {
                p.timeout().cancel(false);
                p.answer().completeExceptionally(why);
            }
        }

        private TProtocol protocol(ByteBuf buf) {
            return new TBinaryProtocol(new ByteBufTransport(buf, configuration), maxFrameBytes, maxFrameBytes, true, true);
        }
    }
}
