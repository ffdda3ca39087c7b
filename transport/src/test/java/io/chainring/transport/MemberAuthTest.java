package io.chainring.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.thrift.AckBatch;
import io.chainring.thrift.AckResponse;
import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.HeadHandoff;
import io.chainring.thrift.KvService;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicateResponse;
import io.chainring.thrift.ReplicationService;
import io.chainring.thrift.SnapshotChunk;
import io.chainring.thrift.TailReadResult;
import io.chainring.thrift.Unauthorized;
import java.io.DataOutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.protocol.TProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.TTransportException;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster-member handshake and members-only services over real loopback connections with
 * libthrift's clients: a connection that proved the secret may call internal methods and the
 * handler sees the proved id; others are refused with the declared {@code Unauthorized}, while
 * open services serve everyone.
 */
class MemberAuthTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final ClusterSecret SECRET = ClusterSecret.parse("member-auth-test-secret");

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final AtomicReference<Optional<String>> seenMember = new AtomicReference<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** Answers heartbeats and records who the transport says is calling. */
    final class Recording implements ReplicationService.Iface {
        @Override
        public ReplicateResponse replicate(ReplicateBatch batch) {
            seenMember.set(CallContext.member());
            return new ReplicateResponse(List.of(), List.of(), batch.getRingEpoch());
        }

        @Override
        public TailReadResult tailGet(long ringEpoch, int partition, ByteBuffer key) {
            return new TailReadResult(false, 0);
        }

        @Override
        public AckResponse ack(AckBatch batch) {
            return new AckResponse(batch.getRingEpoch());
        }

        @Override
        public SnapshotChunk catchUp(long e, String r, int p, ByteBuffer s, int m, long a) {
            return new SnapshotChunk(List.of(), true, 0);
        }

        @Override
        public HeadHandoff handoff(long ringEpoch, int partition) {
            return new HeadHandoff(ringEpoch, 0, 0);
        }
    }

    private ThriftServer start(Optional<ClusterSecret> secret) throws Exception {
        ThriftServerTest.HeldKv kv = new ThriftServerTest.HeldKv();
        ThriftServer server = ThriftServer.start(new TransportConfig("127.0.0.1", 0, MAX_FRAME, 1, 2),
                ThriftServices.builder()
                        .async("kv", kv, new KvService.AsyncProcessor<KvService.AsyncIface>(kv).getProcessMapView())
                        .blocking("replication", new ReplicationService.Processor<>(new Recording()))
                        .access("replication", Access.MEMBERS)
                        .refusal(m -> new Unauthorized(ErrorCode.UNAUTHORIZED, m))
                        .build(), secret);
        closing.add(server);
        return server;
    }

    /** A connection, authenticated first when credentials are given. */
    private TProtocol connect(ThriftServer server, Optional<MemberHandshake.Credentials> credentials) throws TTransportException {
        TSocket socket = new TSocket("127.0.0.1", server.port(), 10_000);
        TFramedTransport t = new TFramedTransport(socket, MAX_FRAME);
        t.open();
        closing.add(t::close);
        if (credentials.isPresent()) {
            MemberHandshake.perform(socket, credentials.get());
        }
        return new TBinaryProtocol(t);
    }

    private static ReplicationService.Client replication(TProtocol p) {
        return new ReplicationService.Client(new TMultiplexedProtocol(p, "replication"));
    }

    private static KvService.Client kv(TProtocol p) {
        return new KvService.Client(new TMultiplexedProtocol(p, "kv"));
    }

    @Test
    void aMemberMayCallInternalServicesAndItsHandlerSeesTheProvedId() throws Exception {
        ThriftServer server = start(Optional.of(SECRET));
        TProtocol p = connect(server, Optional.of(new MemberHandshake.Credentials(SECRET, "n7")));
        assertThat(replication(p).replicate(new ReplicateBatch("n7", 3, List.of())).getRingEpoch()).isEqualTo(3);
        assertThat(seenMember.get()).contains("n7");
        // the same connection serves the open API too
        assertThat(kv(p).get(4, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).getRingEpoch()).isEqualTo(4);
    }

    @Test
    void aConnectionThatProvedNothingIsRefusedInternalCallsButServedTheOpenApi() throws Exception {
        ThriftServer server = start(Optional.of(SECRET));
        TProtocol p = connect(server, Optional.empty());
        for (int i = 0; i < 3; i++) { // refused each time, the connection stays usable
            assertThatThrownBy(() -> replication(p).replicate(new ReplicateBatch("n1", 1, List.of())))
                    .isInstanceOfSatisfying(Unauthorized.class, e -> assertThat(e.getCode()).isEqualTo(ErrorCode.UNAUTHORIZED))
                    .hasMessageContaining("replication:replicate is for cluster members only");
            assertThat(kv(p).get(5, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE).getRingEpoch()).isEqualTo(5);
        }
        assertThat(seenMember.get()).as("the handler never ran").isNull();
    }

    @Test
    void anotherSecretIsRefusedBothWays() throws Exception {
        ThriftServer server = start(Optional.of(SECRET));
        ClusterSecret other = ClusterSecret.parse("some-other-cluster-secret");
        assertThatThrownBy(() -> connect(server, Optional.of(new MemberHandshake.Credentials(other, "n1"))))
                .isInstanceOf(TTransportException.class).hasMessageContaining("did not prove the cluster secret");
        // a server without any secret cannot take part: the client says so instead of calling
        ThriftServer open = start(Optional.empty());
        assertThatThrownBy(() -> connect(open, Optional.of(new MemberHandshake.Credentials(SECRET, "n1"))))
                .isInstanceOf(TTransportException.class).hasMessageContaining("cluster-member handshake");
        // ... and, holding no secret, serves internal calls to anyone (logged as a warning at start)
        assertThat(replication(connect(open, Optional.empty())).replicate(new ReplicateBatch("n1", 2, List.of())).getRingEpoch())
                .isEqualTo(2);
    }

    @Test
    void aMalformedHelloClosesOnlyItsConnection() throws Exception {
        ThriftServer server = start(Optional.of(SECRET));
        try (Socket bad = new Socket("127.0.0.1", server.port())) {
            DataOutputStream out = new DataOutputStream(bad.getOutputStream());
            out.writeInt(MemberHandshake.MAGIC);
            out.writeByte(9); // unknown version
            out.write(new byte[MemberHandshake.NONCE_BYTES + 2]);
            out.flush();
            assertThat(bad.getInputStream().read()).as("closed").isEqualTo(-1);
        }
        TProtocol p = connect(server, Optional.of(new MemberHandshake.Credentials(SECRET, "n2")));
        assertThat(replication(p).replicate(new ReplicateBatch("n2", 1, List.of())).getRingEpoch()).isEqualTo(1);
    }
}
