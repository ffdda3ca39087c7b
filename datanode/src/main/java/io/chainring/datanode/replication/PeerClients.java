package io.chainring.datanode.replication;

import io.chainring.ring.HostPort;
import io.chainring.ring.NodeId;
import io.chainring.ring.NodeInfo;
import io.chainring.ring.Ring;
import io.chainring.thrift.ReplicationService;
import io.chainring.transport.MemberHandshake;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;
import org.apache.thrift.TBase;
import org.apache.thrift.TException;
import org.apache.thrift.transport.TTransportException;

/**
 * Pooled connections to other datanodes for short node-to-node calls (CRAQ tail reads, catch-up
 * pulls). A connection goes back to the pool only after a call that ended with an answer or a
 * declared error; anything else closes it. Addresses come from the newest ring.
 */
public final class PeerClients implements AutoCloseable {
    private static final int MAX_IDLE_PER_NODE = 8;

    /** One call on a borrowed client. */
    @FunctionalInterface
    public interface Call<T> {
        T run(ReplicationService.Client client) throws TException;
    }

    private final Supplier<Optional<Ring>> ring;
    private final int timeoutMillis;
    private final int maxFrameBytes;
    private final Optional<MemberHandshake.Credentials> credentials;
    private final Map<HostPort, Deque<PeerConnection>> idle = new ConcurrentHashMap<>();
    private volatile boolean closed;

    PeerClients(Supplier<Optional<Ring>> ring, int timeoutMillis, int maxFrameBytes, Optional<MemberHandshake.Credentials> credentials) {
        this.ring = ring;
        this.credentials = credentials;
        this.timeoutMillis = timeoutMillis;
        this.maxFrameBytes = maxFrameBytes;
    }

    /** The node's address in the newest ring. */
    HostPort addressOf(NodeId node) throws TTransportException {
        return ring.get().flatMap(r -> r.node(node)).map(NodeInfo::address)
                .orElseThrow(() -> new TTransportException(TTransportException.NOT_OPEN, "node " + node + " is not in the ring"));
    }

    /** This node's cluster-member credentials for the connections it opens (DESIGN: Security). */
    Optional<MemberHandshake.Credentials> credentials() {
        return credentials;
    }

    /** Runs the call on a connection to the node. */
    public <T> T call(NodeId node, Call<T> call) throws TException {
        if (closed) {
            throw new TTransportException(TTransportException.NOT_OPEN, "peer clients are closed");
        }
        HostPort address = addressOf(node);
        Deque<PeerConnection> pool = idle.computeIfAbsent(address, a -> new ConcurrentLinkedDeque<>());
        PeerConnection c = pool.pollFirst();
        if (c == null) {
            c = PeerConnection.open(address, timeoutMillis, maxFrameBytes, credentials);
        }
        boolean reusable = false;
        try {
            T result = call.run(c.client());
            reusable = true;
            return result;
        } catch (TException e) {
            reusable = e instanceof TBase<?, ?>;
            throw e;
        } finally {
            if (reusable && !closed && pool.size() < MAX_IDLE_PER_NODE) {
                pool.addFirst(c);
            } else {
                c.close();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Deque<PeerConnection> pool : idle.values()) {
            PeerConnection c;
            while ((c = pool.pollFirst()) != null) {
                c.close();
            }
        }
    }
}
