package io.chainring.embedded;

import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.Ring;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.KvService;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.thrift.TException;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * The {@code kv} service over plain Thrift, routed by the freshest ring the test can see (the
 * smart client depends on this module for its own tests, so it cannot be used here). Not
 * thread-safe: one per thread. Every call is one attempt; the caller retries.
 */
final class RawKv implements AutoCloseable {
    private final Supplier<Optional<Ring>> rings;
    private final Map<HostPort, Conn> connections = new HashMap<>();

    private record Conn(TFramedTransport transport, KvService.Client client) {
    }

    RawKv(Supplier<Optional<Ring>> rings) {
        this.rings = rings;
    }

    /** One put at the head of the key's chain with ALL acks; returns the version. */
    long put(String key, String value) throws TException {
        Ring ring = ring();
        NodeId head = ring.partitionFor(bytes(key)).chain().head();
        return call(ring, head, c -> c.put(ring.epoch(), ByteBuffer.wrap(bytes(key)), ByteBuffer.wrap(bytes(value)),
                WriteAck.ALL).getVersion());
    }

    /** One read at the given chain position (0 = head, -1 = tail). */
    Optional<String> get(String key, int position, ReadLevel level) throws TException {
        Ring ring = ring();
        var chain = ring.partitionFor(bytes(key)).chain().members();
        NodeId node = chain.get(position < 0 ? chain.size() + position : position);
        return getAt(ring, node, key, level);
    }

    Optional<String> getAt(Ring ring, NodeId node, String key, ReadLevel level) throws TException {
        GetResult r = call(ring, node, c -> c.get(ring.epoch(), ByteBuffer.wrap(bytes(key)), level));
        if (!r.isFound()) {
            return Optional.empty();
        }
        return Optional.of(new String(r.getValue(), StandardCharsets.UTF_8));
    }

    private Ring ring() {
        return rings.get().orElseThrow(() -> new IllegalStateException("no ring yet"));
    }

    private interface Call<T> {
        T apply(KvService.Client client) throws TException;
    }

    private <T> T call(Ring ring, NodeId node, Call<T> call) throws TException {
        HostPort address = ring.node(node).orElseThrow().address();
        Conn conn = connections.get(address);
        if (conn == null) {
            TFramedTransport transport = new TFramedTransport(new TSocket(address.host(), address.port(), 5_000));
            transport.open();
            conn = new Conn(transport, new KvService.Client(new TMultiplexedProtocol(new TBinaryProtocol(transport), "kv")));
            connections.put(address, conn);
        }
        try {
            return call.apply(conn.client());
        } catch (TException e) {
            if (!(e instanceof org.apache.thrift.TBase)) {
                // not a declared answer (StaleRouting, NotServing...): the connection's state is unknown
                conn.transport().close();
                connections.remove(address);
            }
            throw e;
        }
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        connections.values().forEach(c -> c.transport().close());
        connections.clear();
    }
}
