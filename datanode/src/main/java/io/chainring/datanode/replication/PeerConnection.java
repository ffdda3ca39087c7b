package io.chainring.datanode.replication;

import io.chainring.ring.HostPort;
import io.chainring.thrift.ReplicationService;
import io.chainring.transport.MemberHandshake;
import java.util.Optional;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransport;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/** One Thrift connection to another datanode's {@code replication} service (framed, binary, like every client). */
final class PeerConnection implements AutoCloseable {
    private final HostPort address;
    private final TTransport transport;
    private final ReplicationService.Client client;

    private PeerConnection(HostPort address, TTransport transport) {
        this.address = address;
        this.transport = transport;
        this.client = new ReplicationService.Client(new TMultiplexedProtocol(new TBinaryProtocol(transport), "replication"));
    }

    /**
     * Connects to the node.
     *
     * @param timeoutMillis connect and read timeout
     * @param maxFrameBytes largest answer accepted
     * @param credentials   this node's cluster-member credentials, proved before the first call
     *                      (DESIGN: Security); empty in a cluster without a secret
     */
    static PeerConnection open(HostPort address, int timeoutMillis, int maxFrameBytes,
                               Optional<MemberHandshake.Credentials> credentials) throws TTransportException {
        TSocket socket = new TSocket(address.host(), address.port(), timeoutMillis);
        TTransport transport = new TFramedTransport(socket, maxFrameBytes);
        transport.open();
        try {
            if (credentials.isPresent()) {
                MemberHandshake.perform(socket, credentials.get());
            }
        } catch (TTransportException e) {
            transport.close();
            throw new TTransportException(e.getType(), address + ": " + e.getMessage(), e);
        }
        return new PeerConnection(address, transport);
    }

    HostPort address() {
        return address;
    }

    ReplicationService.Client client() {
        return client;
    }

    @Override
    public void close() {
        transport.close();
    }
}
