package io.chainring.cli.bench;

import io.chainring.transport.ThriftServer;
import io.chainring.transport.ThriftServices;
import io.chainring.transport.TransportConfig;
import io.chainring.thrift.KvService;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * Baseline: the datanode's own Thrift server stack (Netty transport with its worker pool, framed,
 * binary protocol, multiplexed {@code kv} service) on loopback, answering with {@link EchoKvHandler};
 * each worker has one plain Thrift connection and makes one RPC per operation carrying the value.
 */
public final class ThriftEchoTarget implements BenchTarget {
    private static final int MAX_FRAME = 16 * 1024 * 1024 + 64 * 1024;
    private static final int SOCKET_TIMEOUT_MS = 10_000;

    private final ThriftServer server;

    public ThriftEchoTarget(int valueSize) throws Exception {
        this.server = ThriftServer.start(TransportConfig.of("127.0.0.1", 0, MAX_FRAME),
                // answered on the event loop, as the datanode answers its short calls: the floor of this stack
                ThriftServices.builder().blocking("kv", new KvService.Processor<>(new EchoKvHandler(valueSize)),
                        Set.of("get", "put")).build());
    }

    @Override
    public String describe() {
        return "baseline thrift-echo: in-process Thrift server on 127.0.0.1:" + server.port()
                + " (the datanode's server stack, framed/binary, answers on the event loop without work), one connection per thread";
    }

    @Override
    public Session session() throws Exception {
        TSocket socket = new TSocket("127.0.0.1", server.port(), SOCKET_TIMEOUT_MS);
        TFramedTransport transport = new TFramedTransport(socket, MAX_FRAME);
        transport.open();
        KvService.Client kv = new KvService.Client(new TMultiplexedProtocol(new TBinaryProtocol(transport), "kv"));
        return new Session() {
            @Override
            public void read(byte[] key) throws Exception {
                kv.get(1, ByteBuffer.wrap(key), ReadLevel.LINEARIZABLE);
            }

            @Override
            public void update(byte[] key, byte[] value) throws Exception {
                kv.put(1, ByteBuffer.wrap(key), ByteBuffer.wrap(value), WriteAck.ALL);
            }

            @Override
            public void load(List<byte[]> keys, byte[] value) {
                // an echo server keeps nothing: there is nothing to preload
            }

            @Override
            public void close() {
                transport.close();
            }
        };
    }

    @Override
    public void close() {
        server.close();
    }
}
