package io.chainring.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TBase;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMessage;
import org.apache.thrift.protocol.TMessageType;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.protocol.TProtocolUtil;
import org.apache.thrift.protocol.TType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one request frame: reads the multiplexed header ("kv:put"), finds the service and
 * method, and hands the encoded answer frame (length-prefixed) to {@code reply} — at once for a
 * blocking service, when the handler's callback completes for an asynchronous one. A request
 * that cannot be parsed gets {@code reply(null)}: the connection is closed.
 */
final class Dispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);

    private final ThriftServices services;
    private final ByteBufAllocator alloc;
    private final TConfiguration configuration;
    private final long maxFrameBytes;
    /** What the connection this dispatcher serves proved (DESIGN: Security). */
    private final ConnectionAuth auth;

    Dispatcher(ThriftServices services, ByteBufAllocator alloc, int maxFrameBytes) {
        this(services, alloc, maxFrameBytes, ConnectionAuth.unenforced());
        // the recursion depth above guards known structs only: unknown fields are skipped by
        // TProtocolUtil, recursively and without a limit unless set (process-wide); a request nested
        // 15,000 deep overflowed a worker's stack and killed the thread (NestedRequestTest)
        TProtocolUtil.setMaxSkipDepth(TConfiguration.DEFAULT_RECURSION_DEPTH);
    }

    private Dispatcher(ThriftServices services, ByteBufAllocator alloc, int maxFrameBytes, ConnectionAuth auth) {
        this.services = services;
        this.alloc = alloc;
        this.maxFrameBytes = maxFrameBytes;
        this.configuration = new TConfiguration(maxFrameBytes, maxFrameBytes, TConfiguration.DEFAULT_RECURSION_DEPTH);
        this.auth = auth;
    }

    /** This dispatcher for one connection, which refuses members-only methods unless {@code connection} proved membership. */
    Dispatcher on(ConnectionAuth connection) {
        return new Dispatcher(services, alloc, (int) maxFrameBytes, connection);
    }

    /**
     * Reads the header of the request in {@code frame} (released here) on the calling thread (the
     * connection's event loop), then runs the request there if its service declares the method
     * inline, else on {@code workers}; answers through {@code reply}.
     *
     * @throws RejectedExecutionException when the workers are shut down (the frame is released)
     */
    void dispatch(ByteBuf frame, String peer, Consumer<ByteBuf> reply, Executor workers) {
        TMessage header;
        TProtocol in = protocol(frame);
        try {
            header = in.readMessageBegin();
        } catch (TException | RuntimeException e) {
            frame.release();
            LOG.warn("closing the connection from {}: its request does not start with a Thrift message header ({})", peer, e.toString());
            reply.accept(null);
            return;
        }
        int colon = header.name.indexOf(':');
        ThriftServices.Service service = colon < 0 ? null : services.get(header.name.substring(0, colon));
        String method = colon < 0 ? header.name : header.name.substring(colon + 1);
        Runnable body = () -> run(service, in, header, method, frame, peer, reply);
        if (service != null && service.runsInline(method)) {
            body.run();
            return;
        }
        try {
            workers.execute(body);
        } catch (RejectedExecutionException e) {
            frame.release();
            throw e;
        }
    }

    private void run(ThriftServices.Service service, TProtocol in, TMessage header, String method, ByteBuf frame, String peer,
                     Consumer<ByteBuf> reply) {
        try {
            if (header.type != TMessageType.CALL && header.type != TMessageType.ONEWAY) {
                throw new BadRequest(TApplicationException.INVALID_MESSAGE_TYPE, "message type " + header.type + " is not a call");
            }
            if (service == null) {
                throw new BadRequest(TApplicationException.UNKNOWN_METHOD, "unknown service in method name '" + header.name
                        + "' (served: " + services.names() + "; use a multiplexed protocol)");
            }
            TMessage stripped = new TMessage(method, header.type, header.seqid);
            if (!services.access(header.name.substring(0, header.name.indexOf(':'))).allows(method, auth.isMember())) {
                refuse(service, stripped, header.name, frame, peer, reply);
                return;
            }
            CallContext.enter(auth.member());
            try {
                if (service instanceof ThriftServices.Blocking blocking) {
                    runBlocking(blocking, in, stripped, frame, reply);
                } else {
                    startAsync((ThriftServices.Async) service, in, stripped, frame, reply);
                }
            } finally {
                CallContext.exit();
            }
        } catch (BadRequest e) {
            release(frame);
            LOG.debug("refused request {} from {}: {}", header.name, peer, e.getMessage());
            reply.accept(encode(header.name, TMessageType.EXCEPTION, header.seqid, new TApplicationException(e.type, e.getMessage())));
        } catch (TException | RuntimeException e) {
            release(frame);
            // a malformed or hostile request: one line, no stack trace (a deeply nested struct makes a huge one)
            LOG.warn("closing the connection from {}: cannot read request {} ({})", peer, header.name, e.toString());
            reply.accept(null);
        }
    }

    private void runBlocking(ThriftServices.Blocking service, TProtocol in, TMessage stripped, ByteBuf frame,
                             Consumer<ByteBuf> reply) throws TException {
        ByteBuf out = alloc.buffer();
        out.writeInt(0);
        try {
            service.processor().process(new StoredMessageProtocol(in, stripped), protocol(out));
        } catch (TException | RuntimeException e) {
            out.release();
            throw e;
        } finally {
            release(frame);
        }
        if (out.readableBytes() == 4) {
            out.release();
            if (stripped.type != TMessageType.ONEWAY) {
                reply.accept(null);
            }
            return;
        }
        out.setInt(0, out.readableBytes() - 4);
        reply.accept(out);
    }

    private void startAsync(ThriftServices.Async service, TProtocol in, TMessage stripped, ByteBuf frame, Consumer<ByteBuf> reply)
            throws TException, BadRequest {
        ThriftServices.AsyncMethod method = service.methods().get(stripped.name);
        if (method == null) {
            TProtocolUtil.skip(in, TType.STRUCT);
            in.readMessageEnd();
            throw new BadRequest(TApplicationException.UNKNOWN_METHOD, "unknown method '" + stripped.name + "'");
        }
        TBase<?, ?> args = method.newArgs();
        args.read(in);
        in.readMessageEnd();
        release(frame);
        AsyncMethodCallback<Object> callback = new AsyncMethodCallback<>() {
            @Override
            public void onComplete(Object value) {
                reply.accept(encode(stripped.name, TMessageType.REPLY, stripped.seqid, method.codec().success(value)));
            }

            @Override
            public void onError(Exception e) {
                TBase<?, ?> declared = method.codec().declared(e);
                if (declared != null) {
                    reply.accept(encode(stripped.name, TMessageType.REPLY, stripped.seqid, declared));
                } else if (e instanceof TApplicationException app) {
                    reply.accept(encode(stripped.name, TMessageType.EXCEPTION, stripped.seqid, app));
                } else {
                    LOG.error("unexpected failure in {}", stripped.name, e);
                    reply.accept(encode(stripped.name, TMessageType.EXCEPTION, stripped.seqid,
                            new TApplicationException(TApplicationException.INTERNAL_ERROR, stripped.name + " failed: " + e)));
                }
            }
        };
        try {
            method.start(args, callback);
        } catch (TException | RuntimeException e) {
            callback.onError(e); // the handler refused synchronously: still an answer
        }
    }

    /** A members-only method on a connection that proved nothing: the service's declared refusal, logged once per connection. */
    private void refuse(ThriftServices.Service service, TMessage stripped, String name, ByteBuf frame, String peer,
                        Consumer<ByteBuf> reply) {
        release(frame);
        String message = name + " is for cluster members only: this connection did not authenticate with the cluster secret";
        if (auth.firstRefusal()) {
            LOG.warn("refusing {} from {}: not an authenticated cluster member (logged once per connection)", name, peer);
        }
        TException refusal = services.refusal(message);
        ResultCodec codec = service.codec(stripped.name);
        TBase<?, ?> declared = codec == null ? null : codec.declared(refusal);
        if (declared != null) {
            reply.accept(encode(stripped.name, TMessageType.REPLY, stripped.seqid, declared));
        } else {
            reply.accept(encode(stripped.name, TMessageType.EXCEPTION, stripped.seqid,
                    refusal instanceof TApplicationException app ? app : new TApplicationException(TApplicationException.UNKNOWN, message)));
        }
    }

    private ByteBuf encode(String name, byte type, int seqid, org.apache.thrift.TSerializable body) {
        ByteBuf out = alloc.buffer();
        try {
            out.writeInt(0);
            TProtocol p = protocol(out);
            p.writeMessageBegin(new TMessage(name, type, seqid));
            body.write(p);
            p.writeMessageEnd();
            out.setInt(0, out.readableBytes() - 4);
            return out;
        } catch (TException | RuntimeException e) {
            out.release();
            LOG.error("cannot encode the answer to {}", name, e);
            return null;
        }
    }

    private TProtocol protocol(ByteBuf buf) {
        return new TBinaryProtocol(new ByteBufTransport(buf, configuration), maxFrameBytes, maxFrameBytes, true, true);
    }

    private static void release(ByteBuf frame) {
        if (frame.refCnt() > 0) {
            frame.release();
        }
    }

    /** A request that parsed but cannot be served: answered with a Thrift application exception. */
    private static final class BadRequest extends Exception {
        private final int type;

        BadRequest(int type, String message) {
            super(message, null, false, false);
            this.type = type;
        }
    }
}
