package io.chainring.cli.backup;

import io.chainring.thrift.NodeAdminService;
import io.chainring.transport.ClusterSecret;
import io.chainring.transport.MemberHandshake;
import java.time.Duration;
import java.util.Optional;
import org.apache.thrift.TConfiguration;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * A blocking {@code node-admin} connection to one datanode, authenticated as a cluster member
 * when a secret is given (the snapshot call is for members only on a node that has one).
 */
final class NodeAdminConnection implements AutoCloseable {
    /** The id this tool proves with the cluster secret; the node only logs it. */
    static final String MEMBER_ID = "backup";
    private static final int MAX_FRAME_BYTES = 64 << 20;

    private final TSocket socket;
    private final NodeAdminService.Client client;

    private NodeAdminConnection(TSocket socket, NodeAdminService.Client client) {
        this.socket = socket;
        this.client = client;
    }

    static NodeAdminConnection open(String address, Optional<ClusterSecret> secret, Duration timeout) throws TTransportException {
        int colon = address.lastIndexOf(':');
        if (colon < 1) {
            throw new IllegalArgumentException("not host:port: " + address);
        }
        TConfiguration config = TConfiguration.custom().setMaxFrameSize(MAX_FRAME_BYTES).setMaxMessageSize(MAX_FRAME_BYTES).build();
        TSocket socket = new TSocket(config, address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
                (int) timeout.toMillis());
        try {
            socket.open();
            if (secret.isPresent()) {
                MemberHandshake.perform(socket, new MemberHandshake.Credentials(secret.get(), MEMBER_ID));
            }
            TFramedTransport framed = new TFramedTransport(socket, MAX_FRAME_BYTES);
            return new NodeAdminConnection(socket,
                    new NodeAdminService.Client(new TMultiplexedProtocol(new TBinaryProtocol(framed), "node-admin")));
        } catch (TTransportException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    NodeAdminService.Client client() {
        return client;
    }

    @Override
    public void close() {
        socket.close();
    }
}
