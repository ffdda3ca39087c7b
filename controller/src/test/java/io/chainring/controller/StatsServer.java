package io.chainring.controller;

import io.chainring.controller.state.StatsPoller;
import io.chainring.thrift.ClusterInfo;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.NodeStats;
import io.chainring.thrift.SnapshotChunk;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.TMultiplexedProcessor;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.server.TThreadPoolServer;
import org.apache.thrift.transport.TServerSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;

/**
 * A real Thrift {@code node-admin} endpoint on loopback that answers {@code stats()} with what
 * the test says, standing in for the datanode side of the stats contract (role, caughtUp,
 * ring epoch) until the datanode's replication exists. The controller reaches it exactly as it
 * reaches a datanode: framed, binary, multiplexed.
 */
public final class StatsServer implements AutoCloseable {
    private final TServerSocket socket;
    private final TThreadPoolServer server;
    private volatile Supplier<NodeStats> stats;

    public StatsServer(String nodeId) throws TTransportException {
        this.stats = () -> new NodeStats(nodeId, "", 0, true, List.of(), 0, 0, "write_no_sync");
        socket = new TServerSocket(new TServerSocket.ServerSocketTransportArgs()
                .bindAddr(new InetSocketAddress("127.0.0.1", 0)).clientTimeout(10_000));
        TMultiplexedProcessor processor = new TMultiplexedProcessor();
        processor.registerProcessor(StatsPoller.NODE_ADMIN, new NodeAdminService.Processor<>(new Handler()));
        server = new TThreadPoolServer(new TThreadPoolServer.Args(socket)
                .processor(processor)
                .transportFactory(new TFramedTransport.Factory(16 << 20))
                .protocolFactory(new TBinaryProtocol.Factory())
                .minWorkerThreads(1).maxWorkerThreads(8)
                .stopTimeoutVal(1).stopTimeoutUnit(TimeUnit.SECONDS));
        Thread t = new Thread(server::serve, "stats-server-" + nodeId);
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return socket.getServerSocket().getLocalPort();
    }

    /** What {@code stats()} answers from now on (computed per call). */
    public void answer(Supplier<NodeStats> supplier) {
        stats = supplier;
    }

    @Override
    public void close() {
        server.stop();
        socket.close();
    }

    private final class Handler implements NodeAdminService.Iface {
        @Override
        public NodeStats stats() {
            return stats.get();
        }

        @Override
        public ClusterInfo clusterInfo() throws TException {
            throw new TApplicationException("not served here");
        }

        @Override
        public SnapshotChunk snapshot(long ringEpoch, int partition, ByteBuffer startAfter, int maxBytes) throws TException {
            throw new TApplicationException("not served here");
        }
    }
}
