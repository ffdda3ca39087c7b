package io.chainring.datanode.chain;

import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.ReplicationService;
import io.chainring.transport.MemberHandshake;
import java.util.Optional;
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
        this(port, Optional.empty());
    }

    /** A client that first proves {@code credentials} (the cluster-member handshake), if given. */
    NodeClient(int port, Optional<MemberHandshake.Credentials> credentials) throws TTransportException {
        TSocket socket = new TSocket("127.0.0.1", port, 20_000);
        transport = new TFramedTransport(socket, 64 * 1024 * 1024);
        transport.open();
        if (credentials.isPresent()) {
            try {
                MemberHandshake.perform(socket, credentials.get());
            } catch (TTransportException e) {
                transport.close();
                throw e;
            }
        }
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
