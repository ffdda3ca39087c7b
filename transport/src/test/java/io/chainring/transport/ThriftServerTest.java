package io.chainring.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.chainring.thrift.ErrorCode;
import io.chainring.thrift.GetResult;
import io.chainring.thrift.KvService;
import io.chainring.thrift.PutResult;
import io.chainring.thrift.ReadLevel;
import io.chainring.thrift.TRing;
import io.chainring.thrift.Unavailable;
import io.chainring.thrift.WriteAck;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.thrift.TApplicationException;
import org.apache.thrift.TException;
import org.apache.thrift.async.AsyncMethodCallback;
import org.apache.thrift.protocol.TBinaryProtocol;
import org.apache.thrift.protocol.TMultiplexedProtocol;
import org.apache.thrift.transport.TSocket;
import org.apache.thrift.transport.layered.TFramedTransport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Netty Thrift server over real loopback connections with libthrift's own clients. */
class ThriftServerTest {
    private static final int MAX_FRAME = 64 * 1024;

    private final List<AutoCloseable> closing = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    /** Answers puts only when released: a write waiting for its acks. */
    static final class HeldKv implements KvService.AsyncIface {
        final ConcurrentLinkedQueue<Runnable> held = new ConcurrentLinkedQueue<>();
        /** The thread each get and put started on, in order. */
        final ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();

        @Override
        public void ring(AsyncMethodCallback<TRing> done) {
            done.onError(new IllegalStateException("boom: a bug in the handler"));
        }

        @Override
        public void get(long epoch, ByteBuffer key, ReadLevel level, AsyncMethodCallback<GetResult> done) throws TException {
            threads.add(Thread.currentThread().getName());
            if (epoch < 0) {
                throw new Unavailable(ErrorCode.UNAVAILABLE, "refused at once");
            }
            done.onComplete(new GetResult(true, 7, epoch).setValue(key));
        }

        @Override
        public void put(long epoch, ByteBuffer key, ByteBuffer value, WriteAck ack, AsyncMethodCallback<PutResult> done) {
            threads.add(Thread.currentThread().getName());
            held.add(() -> done.onComplete(new PutResult(epoch, 1)));
        }

        @Override
        public void remove(long e, ByteBuffer k, WriteAck a, AsyncMethodCallback<io.chainring.thrift.RemoveResult> done) {
            done.onError(new Unavailable(ErrorCode.UNAVAILABLE, "later"));
        }

        @Override
        public void compareAndSet(long e, ByteBuffer k, ByteBuffer v, long x, String id, AsyncMethodCallback<PutResult> done) {
            done.onError(new TApplicationException(TApplicationException.INTERNAL_ERROR, "outcome unknown"));
        }

        @Override
        public void multiGet(long e, List<ByteBuffer> k, ReadLevel l, AsyncMethodCallback<io.chainring.thrift.MultiGetResult> d) {
            d.onError(new UnsupportedOperationException());
        }

        @Override
        public void multiPut(long e, List<io.chainring.thrift.KeyValue> k, WriteAck a, AsyncMethodCallback<io.chainring.thrift.MultiPutResult> d) {
            d.onError(new UnsupportedOperationException());
        }

        @Override
        public void scan(long e, int p, ByteBuffer s, int l, AsyncMethodCallback<io.chainring.thrift.ScanResult> d) {
            d.onError(new UnsupportedOperationException());
        }
    }

    private ThriftServer start(HeldKv kv, int workers) throws Exception {
        return start(kv, workers, Set.of());
    }

    private ThriftServer start(HeldKv kv, int workers, Set<String> inline) throws Exception {
        ThriftServer server = ThriftServer.start(new TransportConfig("127.0.0.1", 0, MAX_FRAME, 1, workers),
                ThriftServices.builder().async("kv", kv, new KvService.AsyncProcessor<KvService.AsyncIface>(kv).getProcessMapView(),
                        inline).build());
        closing.add(server);
        return server;
    }

    private KvService.Client client(ThriftServer server) throws Exception {
        TFramedTransport t = new TFramedTransport(new TSocket("127.0.0.1", server.port(), 10_000), MAX_FRAME);
        t.open();
        closing.add(t::close);
        return new KvService.Client(new TMultiplexedProtocol(new TBinaryProtocol(t), "kv"));
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersAndPassesDeclaredExceptionsThrough() throws Exception {
        ThriftServer server = start(new HeldKv(), 2);
        KvService.Client c = client(server);
        GetResult r = c.get(5, bytes("k"), ReadLevel.ONE);
        assertThat(r.getVersion()).isEqualTo(7);
        assertThat(StandardCharsets.UTF_8.decode(r.bufferForValue()).toString()).isEqualTo("k");
        assertThatThrownBy(() -> c.get(-1, bytes("k"), ReadLevel.ONE)).isInstanceOf(Unavailable.class).hasMessageContaining("refused at once");
        assertThatThrownBy(() -> c.remove(1, bytes("k"), WriteAck.ALL)).isInstanceOf(Unavailable.class);
        assertThatThrownBy(() -> c.compareAndSet(1, bytes("k"), bytes("v"), 0, "id"))
                .isInstanceOfSatisfying(TApplicationException.class, e -> assertThat(e.getMessage()).isEqualTo("outcome unknown"));
        assertThatThrownBy(c::ring).isInstanceOfSatisfying(TApplicationException.class,
                e -> assertThat(e.getType()).isEqualTo(TApplicationException.INTERNAL_ERROR));
        // the connection survives all of that
        assertThat(c.get(6, bytes("again"), ReadLevel.ONE).getRingEpoch()).isEqualTo(6);
    }

    @Test
    void inlineMethodsRunOnTheEventLoopAndTheRestOnWorkers() throws Exception {
        HeldKv kv = new HeldKv();
        ThriftServer server = start(kv, 2, Set.of("get"));
        KvService.Client c = client(server);
        assertThat(c.get(5, bytes("k"), ReadLevel.ONE).getVersion()).isEqualTo(7);
        assertThatThrownBy(() -> c.get(-1, bytes("k"), ReadLevel.ONE)).isInstanceOf(Unavailable.class);
        KvService.Client writer = client(server);
        Thread put = new Thread(() -> {
            try {
                writer.put(3, bytes("k"), bytes("v"), WriteAck.ALL);
            } catch (TException e) {
                throw new IllegalStateException(e);
            }
        });
        put.start();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> kv.held.size() == 1);
        // an inline call is answered while a worker call waits, on the same event loop
        assertThat(c.get(6, bytes("again"), ReadLevel.ONE).getRingEpoch()).isEqualTo(6);
        kv.held.poll().run();
        put.join(10_000);
        assertThat(put.isAlive()).isFalse();
        List<String> threads = List.copyOf(kv.threads);
        assertThat(threads).hasSize(4);
        assertThat(threads.get(0)).contains("-io-").isEqualTo(threads.get(1)).isEqualTo(threads.get(3));
        assertThat(threads.get(2)).contains("-worker-");
    }

    @Test
    void waitingRequestsHoldNoThread() throws Exception {
        HeldKv kv = new HeldKv();
        ThriftServer server = start(kv, 1);
        int calls = 40;
        ExecutorService callers = Executors.newFixedThreadPool(calls);
        closing.add(callers::shutdownNow);
        List<CompletableFuture<Long>> answers = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            KvService.Client c = client(server);
            long epoch = i;
            answers.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return c.put(epoch, bytes("k"), bytes("v"), WriteAck.ALL).getVersion();
                } catch (TException e) {
                    throw new IllegalStateException(e);
                }
            }, callers));
        }
        // one worker thread, and still every put reached its handler while none was answered
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> kv.held.size() == calls);
        assertThat(answers).noneMatch(CompletableFuture::isDone);
        // a read on another connection is answered meanwhile
        assertThat(client(server).get(3, bytes("x"), ReadLevel.ONE).getVersion()).isEqualTo(7);
        kv.held.forEach(Runnable::run);
        for (int i = 0; i < calls; i++) {
            assertThat(answers.get(i).get(20, TimeUnit.SECONDS)).isEqualTo(i);
        }
    }

    @Test
    void anOversizedOrGarbageFrameClosesOnlyItsConnection() throws Exception {
        ThriftServer server = start(new HeldKv(), 2);
        KvService.Client good = client(server);
        try (Socket tooLong = new Socket("127.0.0.1", server.port()); Socket garbage = new Socket("127.0.0.1", server.port())) {
            new DataOutputStream(tooLong.getOutputStream()).writeInt(MAX_FRAME + 1);
            DataOutputStream g = new DataOutputStream(garbage.getOutputStream());
            g.writeInt(8);
            g.writeLong(0x0123456789abcdefL);
            assertClosed(tooLong.getInputStream());
            assertClosed(garbage.getInputStream());
        }
        assertThat(good.get(1, bytes("k"), ReadLevel.ONE).isFound()).isTrue();
        assertThat(server.isServing()).isTrue();
    }

    @Test
    void closingStopsServing() throws Exception {
        ThriftServer server = start(new HeldKv(), 2);
        int port = server.port();
        server.close();
        assertThat(server.isServing()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(java.io.IOException.class);
    }

    private static void assertClosed(InputStream in) {
        byte[] buf = new byte[64];
        int n;
        try {
            n = in.read(buf); // blocks until the server answers or closes (the socket has no timeout: the test's timeout bounds it)
        } catch (java.io.IOException reset) {
            n = -1; // a reset is a close too
        }
        assertThat(n).as("server closed the connection").isEqualTo(-1);
    }
}
