package io.chainring.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.KvService;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.ReplicateBatch;
import io.chainring.thrift.ReplicateResponse;
import io.chainring.thrift.ReplicationService;
import io.chainring.thrift.Unauthorized;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.WriteAck;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.transport.TTransportException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The asynchronous client against the real Netty server over loopback: values, declared
 * exceptions and application errors come back on the connection's loop, pipelined calls are
 * answered in order, a call left unanswered fails by its timeout, and the cluster-member
 * handshake runs before the first call.
 */
class AsyncThriftChannelTest {
    private static final int MAX_FRAME = 64 * 1024;
    private static final ClusterSecret SECRET = ClusterSecret.parse("async-channel-test-secret");

    private final List<AutoCloseable> closing = new ArrayList<>();
    private final ThriftServerTest.HeldKv kv = new ThriftServerTest.HeldKv();
    private EventLoops loops;

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private ThriftServer start(Optional<ClusterSecret> secret) throws Exception {
        loops = EventLoops.create("async-test", 2);
        closing.add(loops);
        ThriftServer server = ThriftServer.start(new TransportConfig("127.0.0.1", 0, MAX_FRAME, 2, 2),
                ThriftServices.builder()
                        .async("kv", kv, new KvService.AsyncProcessor<KvService.AsyncIface>(kv).getProcessMapView())
                        .blocking("replication", new ReplicationService.Processor<>(new MemberAuthTest().new Recording()))
                        .access("replication", Access.MEMBERS)
                        .refusal(m -> new Unauthorized(ErrorCode.UNAUTHORIZED, m))
                        .build(), secret, loops);
        closing.add(server);
        return server;
    }

    private AsyncThriftChannel connect(ThriftServer server, Optional<MemberHandshake.Credentials> credentials, Duration timeout)
            throws Exception {
        AsyncThriftChannel c = AsyncThriftChannel.connect(loops, loops.next(), "127.0.0.1", server.port(), MAX_FRAME, timeout, credentials)
                .get(10, TimeUnit.SECONDS);
        closing.add(c);
        return c;
    }

    @Test
    void answersValuesDeclaredExceptionsAndApplicationErrorsInOrder() throws Exception {
        ThriftServer server = start(Optional.empty());
        AsyncThriftChannel c = connect(server, Optional.empty(), Duration.ofSeconds(10));
        List<CompletableFuture<Object>> gets = new ArrayList<>();
        for (int i = 1; i <= 50; i++) { // pipelined: sent before any answer arrived
            gets.add(c.call("kv", "get", new KvService.get_args(i, ByteBuffer.wrap(new byte[] {(byte) i}), ReadLevel.ONE)));
        }
        for (int i = 1; i <= 50; i++) {
            GetResult r = (GetResult) gets.get(i - 1).get(10, TimeUnit.SECONDS);
            assertThat(r.getRingEpoch()).isEqualTo(i);
            assertThat(r.getValue()).containsExactly((byte) i);
        }
        assertThatThrownBy(() -> c.call("kv", "get", new KvService.get_args(-1, ByteBuffer.wrap(new byte[] {1}), ReadLevel.ONE))
                .get(10, TimeUnit.SECONDS)).cause().isInstanceOf(Unavailable.class).hasMessageContaining("refused at once");
        assertThatThrownBy(() -> c.call("kv", "ring", new KvService.ring_args()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(TApplicationException.class);
        // the connection survives declared failures
        assertThat(((GetResult) c.call("kv", "get", new KvService.get_args(9, ByteBuffer.wrap(new byte[] {2}), ReadLevel.ONE))
                .get(10, TimeUnit.SECONDS)).getRingEpoch()).isEqualTo(9);
        assertThat(c.isOpen()).isTrue();
    }

    @Test
    void aCallNotAnsweredInTimeFailsAndClosesTheConnection() throws Exception {
        ThriftServer server = start(Optional.empty());
        AsyncThriftChannel c = connect(server, Optional.empty(), Duration.ofMillis(300));
        CompletableFuture<Object> held = c.call("kv", "put", new KvService.put_args(1, ByteBuffer.wrap(new byte[] {1}),
                ByteBuffer.wrap(new byte[] {2}), WriteAck.ALL)); // the server holds puts until released
        assertThatThrownBy(() -> held.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(TTransportException.class)
                .hasMessageContaining("not answered within 300 ms");
        assertThat(c.isOpen()).isFalse();
        assertThatThrownBy(() -> c.call("kv", "ring", new KvService.ring_args()).get(10, TimeUnit.SECONDS))
                .cause().isInstanceOf(TTransportException.class).hasMessageContaining("closed");
        kv.held.forEach(Runnable::run);
    }

    @Test
    void aMemberConnectsWithTheHandshakeAndOtherSecretsAreRefused() throws Exception {
        ThriftServer server = start(Optional.of(SECRET));
        AsyncThriftChannel member = connect(server, Optional.of(new MemberHandshake.Credentials(SECRET, "n3")), Duration.ofSeconds(10));
        ReplicateResponse r = (ReplicateResponse) member.call("replication", "replicate", new ReplicationService.replicate_args(
                new ReplicateBatch("n3", 6, List.of()))).get(10, TimeUnit.SECONDS);
        assertThat(r.getRingEpoch()).isEqualTo(6);

        AsyncThriftChannel plain = connect(server, Optional.empty(), Duration.ofSeconds(10));
        assertThatThrownBy(() -> plain.call("replication", "replicate", new ReplicationService.replicate_args(
                new ReplicateBatch("n3", 6, List.of()))).get(10, TimeUnit.SECONDS)).cause().isInstanceOf(Unauthorized.class);

        ClusterSecret other = ClusterSecret.parse("some-other-cluster-secret");
        assertThatThrownBy(() -> connect(server, Optional.of(new MemberHandshake.Credentials(other, "n3")), Duration.ofSeconds(10)))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(TTransportException.class)
                .hasMessageContaining("did not prove the cluster secret");
    }
}
