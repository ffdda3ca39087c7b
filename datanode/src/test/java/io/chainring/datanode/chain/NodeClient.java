package io.chainring.datanode.chain;

import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.ReplicationService;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/** A plain Thrift client of one datanode over loopback: kv, node-admin and replication on one connection. */
final class NodeClient implements AutoCloseable {
    private final TTransport transport;
    final KvService.Client kv;
    final NodeAdminService.Client admin;
    final ReplicationService.Client replication;

    NodeClient(int port) throws TTransportException {
        transport = new TFramedTransport(new TSocket("127.0.0.1", port, 20_000), 64 * 1024 * 1024);
        transport.open();
        TProtocol protocol = new TBinaryProtocol(transport);
        kv = new KvService.Client(new TMultiplexedProtocol(protocol, "kv"));
        admin = new NodeAdminService.Client(new TMultiplexedProtocol(protocol, "node-admin"));
        replication = new ReplicationService.Client(new TMultiplexedProtocol(protocol, "replication"));
    }

    @Override
    public void close() {
        transport.close();
    }
}
