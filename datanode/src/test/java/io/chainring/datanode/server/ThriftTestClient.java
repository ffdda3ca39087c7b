package io.chainring.datanode.server;

import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/** A plain Thrift client over loopback: framed binary protocol, multiplexed like the server. */
final class ThriftTestClient implements AutoCloseable {
    private final TTransport transport;
    final KvService.Client kv;
    final NodeAdminService.Client admin;

    ThriftTestClient(int port) throws TTransportException {
        TSocket socket = new TSocket("127.0.0.1", port, 10_000);
        transport = new TFramedTransport(socket, 64 * 1024 * 1024);
        transport.open();
        TProtocol protocol = new TBinaryProtocol(transport);
        kv = new KvService.Client(new TMultiplexedProtocol(protocol, "kv"));
        admin = new NodeAdminService.Client(new TMultiplexedProtocol(protocol, "node-admin"));
    }

    @Override
    public void close() {
        transport.close();
    }
}
