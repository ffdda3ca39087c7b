package io.chainring.datanode.server;

import io.chainring.transport.ThriftServer;
import io.chainring.transport.ThriftServices;
import io.chainring.transport.TransportConfig;

import io.chainring.datanode.replication.Replication;
import io.chainring.datanode.replication.ReplicationConfig;
import io.chainring.datanode.storage.Durability;
import io.chainring.datanode.storage.StorageConfig;
import io.chainring.datanode.storage.StorageEngine;
import io.chainring.ring.Ring;
import io.chainring.thrift.KvService;
import io.chainring.thrift.NodeAdminService;
import io.chainring.thrift.ReplicationService;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Real storage on a temp dir and a real Thrift server on a free loopback port, as node n1. */
final class ServerFixture implements AutoCloseable {
    static final RequestLimits LIMITS = new RequestLimits(64, 4096, 64 * 1024, 10_000, 16 * 1024);

    final StorageEngine storage;
    final TestRingView view;
    final Replication replication;
    final ThriftServer server;
    final Ring ring;
    final ExecutorService waits;

    ServerFixture(Path dir) throws Exception {
        this(StorageConfig.defaults(dir), LIMITS);
    }

    ServerFixture(StorageConfig storageConfig, RequestLimits limits) throws Exception {
        storage = StorageEngine.open(storageConfig);
        ring = TestRings.ring(0);
        view = new TestRingView(ring);
        replication = new Replication(TestRings.N1, storage, new Replication.RingSource() {
            @Override
            public Optional<Ring> current() {
                return view.current();
            }

            @Override
            public Optional<Ring> refresh() {
                return view.refresh();
            }
        }, ReplicationConfig.defaults(), limits.maxFrameBytes(), Clock.systemUTC());
        waits = Executors.newCachedThreadPool();
        KvHandler kv = new KvHandler(TestRings.N1, view, storage, limits, replication, waits);
        ReplicationCalls replicationCalls = new ReplicationCalls(TestRings.N1,
                new ReplicationHandler(TestRings.N1, view, storage, limits, replication), view, waits);
        NodeAdminHandler admin = new NodeAdminHandler(TestRings.N1, "test", () -> "127.0.0.1:" + port(), view, storage,
                limits, replication, () -> Optional.of("127.0.0.1:9999"), Clock.systemUTC());
        // wired as the datanode does: the inline methods run on the event loop
        Durability durability = storageConfig.durability();
        ThriftServices services = ThriftServices.builder()
                .async("kv", kv, new KvService.AsyncProcessor<KvService.AsyncIface>(kv).getProcessMapView(), InlineMethods.kv(durability))
                .async("replication", replicationCalls, new ReplicationService.AsyncProcessor<ReplicationService.AsyncIface>(
                        replicationCalls).getProcessMapView(), InlineMethods.replication(durability, false))
                .blocking("node-admin", new NodeAdminService.Processor<>(admin))
                .build();
        ThriftServer started;
        try {
            started = ThriftServer.start(TransportConfig.of("127.0.0.1", 0, limits.maxFrameBytes()), services);
        } catch (Exception e) {
            waits.shutdownNow();
            replication.close();
            storage.close();
            throw e;
        }
        server = started;
    }

    int port() {
        return server == null ? 0 : server.port();
    }

    ThriftTestClient client() throws Exception {
        return new ThriftTestClient(server.port());
    }

    @Override
    public void close() {
        try {
            server.close();
            waits.shutdownNow();
        } finally {
            try {
                replication.close();
            } finally {
                storage.close();
            }
        }
    }
}
